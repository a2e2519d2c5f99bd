import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Body, Controller, Get, HttpError, type HttpRequestFields, Post } from '../../src/index.ts';
import { get, type LogLine, obsApp } from './helpers.ts';

const Thing = v.object({ name: v.pipe(v.string(), v.minLength(1)) });

@Controller('/things')
class Things {
  @Post('/')
  create(@Body(Thing) body: v.InferOutput<typeof Thing>) {
    return body;
  }
  @Get('/teapot')
  teapot() {
    // non-ASCII: the size is in bytes, not characters
    throw new HttpError(409, 'Zoë already has one 😀', 'TAKEN');
  }
  @Get('/crash')
  crash() {
    throw new Error('kaboom');
  }
}

function lastRequestLine(lines: LogLine[]): HttpRequestFields {
  const line = lines.filter((l) => l.fields?.httpRequest !== undefined).at(-1);
  return line?.fields?.httpRequest as HttpRequestFields;
}

function post(path: string, body: string): Request {
  return get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('request log: responseSize of error responses', () => {
  for (const format of ['json', 'problem'] as const) {
    it(`is the body's byte length for 400, 404, 422, 409 and 500 (${format} errors)`, async () => {
      const { app, logger } = obsApp([Things], { errorFormat: format });
      const cases: [Request, number][] = [
        [post('/things', '{"name":'), 400],
        [get('/nowhere'), 404],
        [post('/things', '{"name":""}'), 422],
        [get('/things/teapot'), 409],
        [get('/things/crash'), 500],
      ];
      for (const [request, status] of cases) {
        const res = await app.fetch(request);
        expect(res.status).toBe(status);
        const bytes = (await res.arrayBuffer()).byteLength;
        const http = lastRequestLine(logger.lines);
        expect(http.status, request.url).toBe(status);
        expect(http.responseSize, request.url).toBe(bytes);
      }
    });
  }

  it("takes an onError handler's own Response size from its Content-Length", async () => {
    const { app, logger } = obsApp([Things]);
    app.onError(HttpError, () => new Response('nope!', { status: 418, headers: { 'content-length': '5' } }));
    const res = await app.fetch(get('/things/teapot'));
    expect(res.status).toBe(418);
    expect(lastRequestLine(logger.lines).responseSize).toBe(5);
  });
});
