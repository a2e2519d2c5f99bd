import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { withDocsAssets } from '../../src/adapters/docs-assets.ts';
import { syncHandler } from '../../src/app/handle.ts';
import { Body, Controller, Get, HttpError, NotFoundError, Post } from '../../src/index.ts';
import { get, json, testApp } from './helpers.ts';

@Controller('/s')
class SyncController {
  @Get('/plain')
  plain() {
    return { ok: true };
  }

  @Get('/missing')
  missing() {
    throw new NotFoundError('Patient 7 not found');
  }

  @Get('/later')
  async later() {
    await Promise.resolve();
    return { later: true };
  }

  @Post('/echo')
  echo(@Body(v.object({ n: v.number() })) body: { n: number }) {
    return body;
  }
}

class Teapot extends Error {}

@Controller('/t')
class TeapotController {
  @Get('/')
  brew() {
    throw new Teapot('short and stout');
  }
}

async function snapshot(response: Response | Promise<Response>) {
  const res = await response;
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: await res.text() };
}

// Adapters (fetch-batteries/node) hand node-server the handler behind app.fetch: a Response returned
// synchronously is written at once. These tests pin down that contract; app.fetch itself stays a Promise.
describe('the synchronous handler behind app.fetch', () => {
  const app = testApp([SyncController]);
  const handle = syncHandler(app.fetch);

  it('is not app.fetch itself, and app.fetch still always returns a Promise', () => {
    expect(handle).not.toBe(app.fetch);
    expect(app.fetch(get('/s/plain'))).toBeInstanceOf(Promise);
  });

  it.each([
    ['a value-returning route', () => get('/s/plain')],
    ['a thrown HttpError', () => get('/s/missing')],
    ['an unknown path (404)', () => get('/nowhere')],
    ['a wrong method (405)', () => new Request('http://test.local/s/plain', { method: 'DELETE' })],
    ['HEAD', () => new Request('http://test.local/s/plain', { method: 'HEAD' })],
    ['OPTIONS', () => new Request('http://test.local/s/plain', { method: 'OPTIONS' })],
  ])('answers %s without a promise, exactly as app.fetch does', async (_name, make) => {
    const out = handle(make());
    expect(out).toBeInstanceOf(Response);
    expect(await snapshot(out)).toEqual(await snapshot(app.fetch(make())));
  });

  it('returns a promise where the route needs one (a body, an async handler)', async () => {
    const posted = handle(json('POST', '/s/echo', { n: 1 }));
    expect(posted).toBeInstanceOf(Promise);
    expect(await snapshot(posted)).toMatchObject({ status: 200, body: '{"n":1}' });
    const later = handle(get('/s/later'));
    expect(later).toBeInstanceOf(Promise);
    expect(await snapshot(later)).toMatchObject({ status: 200, body: '{"later":true}' });
  });

  it('still maps errors through an async onError handler', async () => {
    const custom = testApp([TeapotController]);
    custom.onError(Teapot, async (e) => new HttpError(418, `Teapot: ${e.message}`, 'TEAPOT'));
    const res = await syncHandler(custom.fetch)(get('/t'));
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ message: 'Teapot: short and stout' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('survives withDocsAssets, which replaces fetch (the wrapper can never be bypassed)', async () => {
    const wrapped = withDocsAssets(app);
    const inner = syncHandler(wrapped.fetch);
    expect(inner).not.toBe(handle);
    expect(inner(get('/s/plain'))).toBeInstanceOf(Response);
    const asset = await inner(get('/docs/assets/swagger-ui.css'));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('is the function itself for a plain fetch function', () => {
    const plain = (_request: Request) => new Response('x');
    expect(syncHandler(plain)).toBe(plain);
  });
});
