import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, raw, startFixture } from './raw-http.ts';
import { stopChild } from './targets.ts';

const FIXTURE = 'test/runtime/fixtures/host-server.ts';
type Server = FixtureServer;

/** Starts the fixture on Bun or Deno; resolves once it prints READY <url>. */
const start = (runtime: 'bun' | 'deno', env: Record<string, string> = {}): Promise<Server> => startFixture(runtime, FIXTURE, env);

const get = (path: string, host: string | undefined) =>
  host === undefined ? `GET ${path} HTTP/1.0\r\n\r\n` : `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

/** The request log line of the request with this status (the last one), parsed. */
async function logLine(
  server: Server,
  status: number,
): Promise<{ requestId: string; httpRequest: { requestUrl: string; status: number } }> {
  for (let i = 0; i < 100; i++) {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes(`"status":${status}`));
    if (lines.length > 0) return JSON.parse(lines[lines.length - 1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no request log line with status ${status} in:\n${server.output()}`);
}

describe('Deno: a malformed Host header', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('deno');
  }, 60_000);
  afterAll(() => stopChild(server.child));

  it('answers 400 "Invalid Host header" to `Host: x/secure`, never the /secure/key route', async () => {
    const res = await raw(server.port, get('/key', 'x/secure'));
    expect(res).toEqual({ status: 400, body: '{"message":"Invalid Host header"}' });
    const line = await logLine(server, 400);
    expect(line.httpRequest.requestUrl).toBe('http://x/secure/key');
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 to a Host with userinfo or whitespace, and serves a well-formed one', async () => {
    expect((await raw(server.port, get('/hello', 'user@evil:80'))).status).toBe(400);
    expect((await raw(server.port, get('/hello', 'a b'))).status).toBe(400);
    expect(await raw(server.port, get('/hello', 'api.example.com:8080'))).toEqual({ status: 200, body: '{"message":"Hello"}' });
    expect(await raw(server.port, get('/hello', '[::1]:80'))).toEqual({ status: 200, body: '{"message":"Hello"}' });
    expect(await raw(server.port, get('/hello', '[fe80::1%25eth0]'))).toEqual({ status: 200, body: '{"message":"Hello"}' });
    expect(await raw(server.port, get('/hello', 'API.Example.com.'))).toEqual({ status: 200, body: '{"message":"Hello"}' });
    expect((await raw(server.port, get('/hello', undefined))).status).toBe(200);
  });

  it('answers 400 to a Host no URL parser takes (a lone bracket or %, two colons)', async () => {
    for (const host of ['[', 'x%', 'a:b:c']) {
      expect(await raw(server.port, get('/hello', host)), host).toEqual({ status: 400, body: '{"message":"Invalid Host header"}' });
    }
  });
});

describe('Deno: augmentApp and a Host that passes the check but not a URL parser', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('deno', { HOST_FIXTURE_AUGMENT: '1' });
  }, 60_000);
  afterAll(() => stopChild(server.child));

  it('is a logged 400 before the foreign handler parses request.url, not a 500', async () => {
    // %2f is a well-formed escape, so the Host check passes it; decoded it is a '/' no URL host may hold
    expect(await raw(server.port, get('/foreign', 'x%2fsecure'))).toEqual({ status: 400, body: '{"message":"Invalid Host header"}' });
    expect(server.output()).not.toContain('"severity":"ERROR"');
    expect(await raw(server.port, get('/foreign', 'api.example.com'))).toEqual({ status: 200, body: '{"foreign":"/foreign"}' });
  });
});

describe('Bun: a request with no Host or a malformed one (a relative request.url)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('bun');
  }, 60_000);
  afterAll(() => stopChild(server.child));

  it('HTTP/1.0 without Host: `/x/hello` is 404, `/hello` is 200, each logged with its path', async () => {
    expect(await raw(server.port, get('/x/hello', undefined))).toEqual({ status: 404, body: '{"message":"Not Found"}' });
    expect((await logLine(server, 404)).httpRequest.requestUrl).toBe('/x/hello');
    expect(await raw(server.port, get('/hello', undefined))).toEqual({ status: 200, body: '{"message":"Hello"}' });
    expect((await logLine(server, 200)).httpRequest.requestUrl).toBe('/hello');
  });

  it('HTTP/1.0 without Host still gets the Swagger UI files', async () => {
    const css = await raw(server.port, get('/docs/assets/swagger-ui.css', undefined));
    expect(css.status).toBe(200);
    expect(css.body).toContain('.swagger-ui');
  });

  it('`Host: a b` on /docs/assets/swagger-ui.css is a logged 400, not a 500', async () => {
    expect(await raw(server.port, get('/docs/assets/swagger-ui.css', 'a b'))).toEqual({
      status: 400,
      body: '{"message":"Invalid Host header"}',
    });
    expect((await logLine(server, 400)).httpRequest.requestUrl).toBe('/docs/assets/swagger-ui.css');
  });

  it('`Host: user@evil:80` is a 400, not the route', async () => {
    expect(await raw(server.port, get('/hello', 'user@evil:80'))).toEqual({ status: 400, body: '{"message":"Invalid Host header"}' });
  });
});

describe('Bun: augmentApp without Host', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('bun', { HOST_FIXTURE_AUGMENT: '1' });
  }, 60_000);
  afterAll(() => stopChild(server.child));

  it('hands the foreign handler an absolute URL it can parse (200, not 500)', async () => {
    expect(await raw(server.port, get('/foreign?q=1', undefined))).toEqual({ status: 200, body: '{"foreign":"/foreign"}' });
    expect((await logLine(server, 200)).httpRequest.requestUrl).toBe('/foreign?q=1');
  });

  it('answers a Host that no URL parser takes with a logged 400, not a 500 from the foreign router', async () => {
    for (const host of ['x%', 'x%2fsecure', 'a:b:c', '[']) {
      expect(await raw(server.port, get('/foreign', host)), host).toEqual({ status: 400, body: '{"message":"Invalid Host header"}' });
    }
    expect(server.output()).not.toContain('"severity":"ERROR"');
  });
});
