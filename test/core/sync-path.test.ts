import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { withDocsAssets } from '../../src/adapters/docs-assets.ts';
import { defaultBatteries } from '../../src/app/batteries.ts';
import { syncHandler } from '../../src/app/sync-handler.ts';
import { type Battery, Body, Controller, createApp, Get, HttpError, NotFoundError, Post, User } from '../../src/index.ts';
import { get, json, quietLogger, testApp } from './helpers.ts';

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

/** A promise library's promise: `then` hands back another of its own kind, never a native Promise. */
class LibPromise<T> implements PromiseLike<T> {
  constructor(private readonly inner: Promise<T>) {}
  // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, as a promise library's promise is
  then<A = T, B = never>(ok?: ((v: T) => A | PromiseLike<A>) | null, no?: ((e: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    return new LibPromise(this.inner.then(ok, no));
  }
}

@Controller('/lib')
class LibController {
  static runs = 0;
  @Get('/')
  get(@User() user: unknown) {
    LibController.runs++;
    return { user };
  }
}

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

  it('is never found behind a Proxy or wrapper around app.fetch, so serve() and withDocsAssets cannot bypass it', async () => {
    let gated = 0;
    const gate = new Proxy(app.fetch, {
      apply(target, self, args: [Request]) {
        gated++;
        return new URL(args[0].url).pathname.startsWith('/s/')
          ? Promise.resolve(new Response('denied', { status: 403 }))
          : Reflect.apply(target, self, args);
      },
    });
    expect(syncHandler(gate)).toBe(gate);
    const wrapped = withDocsAssets({ fetch: gate });
    const res = await syncHandler(wrapped.fetch)(get('/s/plain'));
    expect(res.status).toBe(403);
    expect(gated).toBe(1);
  });

  it('is the function itself for a plain fetch function', () => {
    const plain = (_request: Request) => new Response('x');
    expect(syncHandler(plain)).toBe(plain);
  });
});

describe('custom batteries handing back thenables that are not native Promises', () => {
  // a custom auth step and a custom @User source, both on a promise library
  const battery = (deny: boolean): Battery => ({
    name: 'lib-auth',
    start: () => ({
      routeStep: () => () => new LibPromise(deny ? Promise.reject(new HttpError(401, 'no entry', 'NO')) : Promise.resolve()) as never,
      extractor: (param) => (param.kind === 'user' ? () => new LibPromise(Promise.resolve({ id: 'u1' })) : undefined),
    }),
  });
  const build = (deny: boolean) =>
    createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [LibController], logger: quietLogger() }, [
      defaultBatteries()[0],
      battery(deny),
    ]);

  it('awaits a step that allows: the handler gets the resolved value of a thenable extractor', async () => {
    const res = await build(false).fetch(get('/lib'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { id: 'u1' } });
  });

  it('answers a step that refuses with its error, and never runs the handler', async () => {
    const before = LibController.runs;
    const res = await build(true).fetch(get('/lib'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'no entry' });
    expect(LibController.runs).toBe(before);
  });
});
