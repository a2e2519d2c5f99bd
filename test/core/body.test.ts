import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Body, Controller, Header, Param, Post, Query, Status } from '../../src/index.ts';
import { json, testApp } from './helpers.ts';

const NewThing = v.object({ name: v.pipe(v.string(), v.minLength(1)), tags: v.optional(v.array(v.string())) });
let handlerRuns = 0;
let seenBodies: unknown[] = [];

@Controller('/things')
class ThingController {
  @Post('/')
  @Status(201)
  create(@Body(NewThing) body: v.InferOutput<typeof NewThing>) {
    handlerRuns++;
    return body;
  }

  @Post('/raw')
  raw(@Body() body: unknown) {
    handlerRuns++;
    return { body: body ?? null };
  }

  @Post('/twice')
  twice(@Body() a: unknown, @Body(NewThing) b: unknown) {
    seenBodies = [a, b];
    return { same: a === b || JSON.stringify(a) === JSON.stringify(b) };
  }

  @Post('/:n')
  numbered(
    @Param('n', v.pipe(v.string(), v.regex(/^\d+$/, 'must be digits'))) n: string,
    @Query('limit', v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.maxValue(10)))) limit: number | undefined,
    @Header('x-trace', v.optional(v.pipe(v.string(), v.maxLength(8)))) trace: string | undefined,
  ) {
    return { n, limit: limit ?? null, trace: trace ?? null };
  }
}

const app = testApp([ThingController], {}, { MAX_BODY_BYTES: '1024' });

describe('@Body', () => {
  it('validates with valibot and passes the output to the handler', async () => {
    const res = await app.fetch(json('POST', '/things', { name: 'a', extra: 'dropped' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'a' });
  });

  it('answers 422 with issues [{ path, message }] on a schema failure', async () => {
    const res = await app.fetch(json('POST', '/things', { name: '', tags: [1] }));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.message).toBe('Request validation failed');
    expect(body.issues).toEqual([
      { path: ['body', 'name'], message: expect.stringContaining('length') },
      { path: ['body', 'tags', 0], message: expect.stringContaining('Expected string') },
    ]);
  });

  it('does not echo huge input in issue messages', async () => {
    const huge = 'x'.repeat(900);
    const res = await app.fetch(json('POST', '/things', { name: 1, tags: huge }));
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(text).not.toContain(huge);
    expect(text.length).toBeLessThan(600);
  });

  it('answers 400 with a fixed message on malformed JSON (never quoting the input)', async () => {
    const res = await app.fetch(json('POST', '/things', '{"name": "secret-value",'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Malformed JSON in request body' });
  });

  it('answers 415 for another content type', async () => {
    const res = await app.fetch(json('POST', '/things', 'name=a', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ message: 'Content-Type must be application/json' });
  });

  it('accepts application/json; charset=UTF-8 in any letter case, and +json types', async () => {
    for (const type of ['Application/JSON; Charset=UTF-8', 'application/vnd.api+json']) {
      const res = await app.fetch(json('POST', '/things', { name: 'a' }, { 'content-type': type }));
      expect(res.status).toBe(201);
    }
  });

  it('answers 413 for a body over the limit sent without Content-Length, without running the handler', async () => {
    const before = handlerRuns;
    const res = await app.fetch(json('POST', '/things/raw', { name: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(handlerRuns).toBe(before);
  });

  it('answers 413 by Content-Length before reading a byte of the body', async () => {
    const before = handlerRuns;
    let pulled = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('"x"'));
        controller.close();
      },
    });
    const request = new Request('http://test.local/things/raw', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', 'content-length': '5000000' },
      duplex: 'half',
    } as RequestInit);
    const res = await app.fetch(request);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/^Request body exceeds \d+ bytes$/) });
    expect(handlerRuns).toBe(before);
    // a ReadableStream pulls once to fill its queue when created; the body reader never asked for more
    expect(pulled).toBeLessThanOrEqual(1);
    expect(request.bodyUsed).toBe(false);
  });

  it('answers 413 while streaming when Content-Length is absent or lies', async () => {
    const before = handlerRuns;
    const chunk = new TextEncoder().encode(`"${'y'.repeat(600)}"`);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const request = new Request('http://test.local/things/raw', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', 'content-length': '10' },
      duplex: 'half',
    } as RequestInit);
    const res = await app.fetch(request);
    expect(res.status).toBe(413);
    expect(handlerRuns).toBe(before);
  });

  it('answers 400 (not a stack overflow 500) for deeply nested JSON', async () => {
    const res = await app.fetch(json('POST', '/things/raw', '['.repeat(500) + ']'.repeat(500)));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Request body is nested too deeply' });
  });

  it('drops __proto__ keys instead of polluting prototypes', async () => {
    const res = await app.fetch(json('POST', '/things/raw', '{"a":1,"__proto__":{"polluted":true},"b":{"\\u005f_proto__":{"x":1}}}'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { a: 1, b: {} } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops a __proto__ key written only with a \\u escape, as it does the literal one', async () => {
    const res = await app.fetch(json('POST', '/things/raw', '{"a":1,"\\u005f_proto__":{"polluted":true}}'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('polluted');
    expect(JSON.parse(text)).toEqual({ body: { a: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a string holding an escaped quote and then 200 [ characters: they are text, not nesting', async () => {
    const value = `"${'['.repeat(200)}`;
    const res = await app.fetch(json('POST', '/things/raw', JSON.stringify({ s: value })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { s: value } });
  });

  it('gives undefined for an empty body, so the schema decides (422 when required)', async () => {
    const res = await app.fetch(new Request('http://test.local/things', { method: 'POST' }));
    expect(res.status).toBe(422);
    const raw = await app.fetch(new Request('http://test.local/things/raw', { method: 'POST' }));
    expect(await raw.json()).toEqual({ body: null });
  });

  it('reads the body once and shares it between parameters', async () => {
    const res = await app.fetch(json('POST', '/things/twice', { name: 'shared' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ same: true });
    expect(seenBodies[0]).toEqual({ name: 'shared' });
  });

  it('answers 400 for a body that is not UTF-8', async () => {
    const request = new Request('http://test.local/things/raw', {
      method: 'POST',
      body: new Uint8Array([0x22, 0xff, 0xfe, 0x22]),
      headers: { 'content-type': 'application/json' },
    });
    const res = await app.fetch(request);
    expect(res.status).toBe(400);
    const declared = new Request('http://test.local/things/raw', {
      method: 'POST',
      body: new Uint8Array([0x22, 0xff, 0xfe, 0x22]),
      headers: { 'content-type': 'application/json', 'content-length': '4' },
    });
    const res2 = await app.fetch(declared);
    expect(res2.status).toBe(400);
    expect(await res2.json()).toEqual({ message: 'Request body is not valid UTF-8' });
  });

  it('accepts a valid body that really contains U+FFFD, with or without Content-Length', async () => {
    const body = JSON.stringify({ name: 'replacement \uFFFD char' });
    const bytes = new TextEncoder().encode(body);
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'content-length': String(bytes.byteLength) },
    ];
    for (const headers of variants) {
      const res = await app.fetch(new Request('http://test.local/things/raw', { method: 'POST', body: bytes, headers }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ body: { name: 'replacement \uFFFD char' } });
    }
  });

  it('answers 413 when a declared length is within the limit but multi-byte text exceeds it', async () => {
    const before = handlerRuns;
    const body = JSON.stringify('é'.repeat(600)); // 1,202 bytes, 602 UTF-16 units
    const res = await app.fetch(json('POST', '/things/raw', body, { 'content-length': '100' }));
    expect(res.status).toBe(413);
    expect(handlerRuns).toBe(before);
  });
});

describe('@Param, @Query and @Header validation', () => {
  it('validates and transforms each source', async () => {
    const res = await app.fetch(new Request('http://test.local/things/12?limit=5', { method: 'POST', headers: { 'x-trace': 'abc' } }));
    expect(await res.json()).toEqual({ n: '12', limit: 5, trace: 'abc' });
  });

  it('reports where each failure is: path, query, header', async () => {
    const res = await app.fetch(
      new Request('http://test.local/things/x?limit=50', { method: 'POST', headers: { 'x-trace': 'much-too-long' } }),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.issues.map((i: { path: unknown[] }) => i.path)).toEqual([['path', 'n']]);
    const res2 = await app.fetch(new Request('http://test.local/things/1?limit=50', { method: 'POST' }));
    expect((await res2.json()).issues[0].path).toEqual(['query', 'limit']);
    const res3 = await app.fetch(new Request('http://test.local/things/1', { method: 'POST', headers: { 'x-trace': 'much-too-long' } }));
    expect((await res3.json()).issues[0].path).toEqual(['header', 'x-trace']);
  });
});
