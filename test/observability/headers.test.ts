import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { defaultBatteries } from '../../src/app/batteries.ts';
import { ApiKey, type Battery, Controller, Ctx, Deprecated, Get, HttpError, Param, Post, type RequestContext } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

@Controller('/h')
class HeaderController {
  @Get('/json')
  json() {
    return { ok: true };
  }
  @Get('/own-cache')
  ownCache() {
    return new Response('cached', { headers: { 'cache-control': 'public, max-age=60' } });
  }
  @Get('/raw')
  raw() {
    return new Response('raw');
  }
  @Get('/teapot')
  teapot() {
    throw new HttpError(418, 'short and stout', 'TEAPOT');
  }
  @Get('/crash')
  crash() {
    throw new Error('kaboom');
  }
  @Get('/circular')
  circular() {
    const value: Record<string, unknown> = {};
    value.self = value;
    return value; // JSON cannot write it: a 500 built after the handler ran
  }
  @Get('/db')
  db(@Ctx() ctx: RequestContext) {
    ctx.addTiming('db', 1.5);
    return { ok: true };
  }
  @Get('/secure')
  secure() {
    return { ok: true };
  }
  @Post('/items/:id')
  item(@Param('id') id: string) {
    return { id };
  }
}

@Controller('/old')
class OldController {
  @Get('/patients')
  @Deprecated({ supersededBy: 'GET /v2/patients', since: '2024-01-01T00:00:00Z' })
  old() {
    return [];
  }
  @Get('/undated')
  @Deprecated()
  undated() {
    return [];
  }
}

/** A security-like battery: a real routeStep on /h/secure, so the auth phase runs. */
const guard: Battery = {
  name: 'test-guard',
  start: () => ({ routeStep: (def) => (def.path === '/h/secure' ? async () => {} : undefined) }),
};

const { app } = obsApp([HeaderController, OldController], {}, [...defaultBatteries(), guard]);

const EVERY_KIND = ['/h/json', '/h/raw', '/h/teapot', '/h/crash', '/h/circular', '/no-such-route', '/running', '/metrics'];

describe('X-Request-ID', () => {
  it.each(EVERY_KIND)('is set on %s, errors included', async (path) => {
    const res = await app.fetch(get(path));
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it.each(['3f0c7a4e-1d2b-4c5d-9e8f-0a1b2c3d4e5f', 'trace.abc:123_x-y', 'A'.repeat(255), 'abc-123_X=', 'aGVsbG8+d29ybGQ/==', '-abc'])(
    'keeps a well-formed incoming id %s',
    async (id) => {
      const res = await app.fetch(get('/h/json', { headers: { 'x-request-id': id } }));
      expect(res.headers.get('x-request-id')).toBe(id);
    },
  );

  it.each([
    ['oversized', 'A'.repeat(256)],
    ['with spaces', 'abc def'],
    ['with quotes and markup', '"><script>alert(1)</script>'],
    ['with a header-injection attempt', 'abc%0d%0aSet-Cookie: x=1'],
    ['with JSON', '{"level":"admin"}'],
    ['empty', ''],
    ['with a semicolon', 'a;b'],
    ['with a non-ASCII letter', 'café'],
  ])('replaces a malformed incoming id (%s) with a new UUID, never echoing it', async (_name, id) => {
    const res = await app.fetch(get('/h/json', { headers: { 'x-request-id': id } }));
    const out = res.headers.get('x-request-id') as string;
    expect(out).toMatch(UUID);
    expect(out).not.toBe(id);
  });

  it('gives each request its own id', async () => {
    const a = (await app.fetch(get('/h/json'))).headers.get('x-request-id');
    const b = (await app.fetch(get('/h/json'))).headers.get('x-request-id');
    expect(a).not.toBe(b);
  });

  it('is the id the handler sees in @Ctx()', async () => {
    @Controller('/ctx')
    class CtxController {
      @Get('/')
      id(@Ctx() ctx: RequestContext) {
        return { id: ctx.requestId };
      }
    }
    const res = await obsApp([CtxController]).app.fetch(get('/ctx', { headers: { 'x-request-id': 'upstream-7' } }));
    expect(await res.json()).toEqual({ id: 'upstream-7' });
    expect(res.headers.get('x-request-id')).toBe('upstream-7');
  });
});

describe('Server-Timing', () => {
  const phases = (res: Response) => (res.headers.get('server-timing') ?? '').split(', ').map((p) => p.split(';')[0]);

  it.each(EVERY_KIND)('has total on %s', async (path) => {
    const res = await app.fetch(get(path));
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=\d+(\.\d+)?/);
  });

  it('has total and handler on a plain route, without auth or db', async () => {
    expect(phases(await app.fetch(get('/h/json')))).toEqual(['total', 'handler']);
  });

  it('adds auth when a security step ran', async () => {
    expect(phases(await app.fetch(get('/h/secure')))).toEqual(['total', 'auth', 'handler']);
  });

  it('adds auth for a real @ApiKey route, also on its 401, with every other header', async () => {
    @Controller('/keyed')
    class Keyed {
      @Get('/')
      @ApiKey()
      get() {
        return { ok: true };
      }
    }
    const keyed = obsApp([Keyed], { env: { ENVIRONMENT: 'TEST', ACCEPTED_API_KEY: 'k-123' } }).app;
    const ok = await keyed.fetch(get('/keyed', { headers: { 'x-api-key': 'k-123' } }));
    expect(ok.status).toBe(200);
    expect(phases(ok)).toEqual(['total', 'auth', 'handler']);
    const refused = await keyed.fetch(get('/keyed'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toMatch(UUID);
    expect(phases(refused)).toEqual(['total', 'auth']);
    expect(refused.headers.get('cache-control')).toBe('no-cache, must-revalidate');
  });

  it('adds db when the handler used the database', async () => {
    const res = await app.fetch(get('/h/db'));
    expect(phases(res)).toEqual(['total', 'db', 'handler']);
    expect(res.headers.get('server-timing')).toContain('db;dur=1.5');
  });

  it('has only total when the request failed before any handler', async () => {
    expect(phases(await app.fetch(get('/no-such-route')))).toEqual(['total']);
  });
});

describe('no-cache headers', () => {
  it.each(EVERY_KIND)('are set on %s', async (path) => {
    const res = await app.fetch(get(path));
    expect(res.headers.get('cache-control')).toBe('no-cache, must-revalidate');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
  });

  it('keep the Cache-Control a handler set itself (Pragma and Expires are still added)', async () => {
    const res = await app.fetch(get('/h/own-cache'));
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });
});

describe('headers on a Response from fetch() (immutable headers)', () => {
  it('are added to a proxied upstream response', async () => {
    const upstream = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"upstream":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      @Controller('/proxy')
      class ProxyController {
        @Get('/')
        proxy() {
          return fetch(`http://127.0.0.1:${port}/`);
        }
      }
      const res = await obsApp([ProxyController]).app.fetch(get('/proxy', { headers: { 'x-request-id': 'proxied-1' } }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ upstream: true });
      expect(res.headers.get('x-request-id')).toBe('proxied-1');
      expect(res.headers.get('server-timing')).toMatch(/^total;dur=/);
      expect(res.headers.get('cache-control')).toBe('no-cache, must-revalidate');
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe('@Deprecated headers', () => {
  it('sends Deprecation with the date and a successor Link', async () => {
    const res = await app.fetch(get('/old/patients'));
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe(`@${Date.UTC(2024, 0, 1) / 1000}`);
    expect(res.headers.get('link')).toBe('</v2/patients>; rel="successor-version"');
  });

  it('sends Deprecation: true without a date and no Link without a successor', async () => {
    const res = await app.fetch(get('/old/undated'));
    expect(res.headers.get('deprecation')).toBe('true');
    expect(res.headers.get('link')).toBeNull();
  });

  it('leaves other routes alone', async () => {
    const res = await app.fetch(get('/h/json'));
    expect(res.headers.get('deprecation')).toBeNull();
  });
});
