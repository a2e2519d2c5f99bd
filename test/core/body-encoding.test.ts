/**
 * JSON bodies the framework cannot hold faithfully are refused with a status and a message that
 * say why: an unpaired UTF-16 surrogate escape (`"\ud800"`, which UTF-8 stores and clients keep
 * only as U+FFFD) answers 400, and a compressed body (`Content-Encoding: gzip`, never decoded)
 * answers 415, instead of 201 with a silently changed value or 400 "not valid UTF-8".
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Body, Controller, Post, Status } from '../../src/index.ts';
import { testApp } from './helpers.ts';

let calls = 0;

@Controller('/notes')
class Notes {
  @Post('/', Body())
  @Status(201)
  create(body: unknown) {
    calls++;
    return { body };
  }
}

const app = testApp([Notes]);
const SURROGATE_MESSAGE = 'Request body contains an unpaired UTF-16 surrogate escape';

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return app.fetch(
    new Request('http://test.local/notes', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }),
  );
}

async function answer(response: Response) {
  return { status: response.status, body: await response.json() };
}

/** The same text as a stream: no Content-Length, so the body is read chunk by chunk. */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

describe('unpaired surrogate escapes in a JSON body', () => {
  it.each([
    ['a high surrogate in a value', '{"name":"\\ud800"}'],
    ['a low surrogate in a value', '{"name":"a\\uDC00b"}'],
    ['a surrogate in an array', '{"names":["ok","\\ud83d"]}'],
    ['a surrogate in a key', '{"\\ud800":1}'],
    ['two high surrogates', '"\\ud83d\\ud83d"'],
  ])('%s answers 400 and the handler does not run', async (_what, text) => {
    const before = calls;
    expect(await answer(await post(text))).toEqual({ status: 400, body: { message: SURROGATE_MESSAGE } });
    expect(calls).toBe(before);
  });

  it('is refused in a streamed body too', async () => {
    const response = await app.fetch(
      new Request('http://test.local/notes', {
        method: 'POST',
        body: streamed('{"name":"\\ud800"}'),
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit),
    );
    expect(await answer(response)).toEqual({ status: 400, body: { message: SURROGATE_MESSAGE } });
  });

  it('accepts an escaped surrogate pair, and other escapes', async () => {
    expect(await answer(await post('{"name":"\\ud83d\\ude00 \\u00e9\\n"}'))).toEqual({ status: 201, body: { body: { name: '😀 é\n' } } });
    expect(await answer(await post('{"name":"😀"}'))).toEqual({ status: 201, body: { body: { name: '😀' } } });
  });
});

describe('Content-Encoding on a JSON body', () => {
  it.each(['gzip', 'GZIP', 'br', 'gzip, identity'])('%s answers 415 naming the coding', async (coding) => {
    const before = calls;
    const response = await post(gzipSync('{"name":"a"}'), { 'content-encoding': coding });
    expect(await answer(response)).toEqual({ status: 415, body: { message: `Content-Encoding ${coding} is not supported` } });
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(calls).toBe(before);
  });

  it('identity is the body as sent', async () => {
    expect(await answer(await post('{"name":"a"}', { 'content-encoding': 'identity' }))).toEqual({
      status: 201,
      body: { body: { name: 'a' } },
    });
  });

  it('the OpenAPI document lists both answers for a body route', async () => {
    const responses = (app.openapi() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }).paths['/notes']
      .post.responses;
    expect(JSON.stringify(responses['400'])).toContain(SURROGATE_MESSAGE);
    expect(JSON.stringify(responses['415'])).toContain('Content-Encoding <coding> is not supported');
  });
});
