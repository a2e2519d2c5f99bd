import { Hono } from 'hono';
import { IttyRouter } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { augmentApp, NotFoundError } from '../../src/index.ts';
import { get, quietLogger } from './helpers.ts';

const env = { ENVIRONMENT: 'TEST' };

describe('augmentApp', () => {
  it('wraps a Hono app: its routes answer, with request id and no-cache headers added', async () => {
    const hono = new Hono().get('/hi', (c) => c.json({ hi: true }));
    const app = augmentApp(hono, { env, testing: true, logger: quietLogger() });
    const res = await app.fetch(get('/hi'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hi: true });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('no-cache, must-revalidate');
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=/);
  });

  it('wraps an itty-router and maps what it throws through the error mapper', async () => {
    const router = IttyRouter();
    router.get('/things/:id', ({ params }) => {
      throw new NotFoundError(`Thing ${params.id} not found`);
    });
    const app = augmentApp(router, { env, testing: true, logger: quietLogger() });
    const res = await app.fetch(get('/things/9'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Thing 9 not found' });
  });

  it('wraps a bare function and hides unexpected errors in production', async () => {
    const app = augmentApp(
      () => {
        throw new Error('secret detail');
      },
      { env: { ENVIRONMENT: 'PRODUCTION' }, testing: true, logger: quietLogger() },
    );
    const res = await app.fetch(get('/anything'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal server error"}');
  });

  it('answers 500 (not a crash) when the wrapped handler returns no Response', async () => {
    const app = augmentApp((() => undefined) as never, { env, testing: true, logger: quietLogger() });
    expect((await app.fetch(get('/x'))).status).toBe(500);
  });
});
