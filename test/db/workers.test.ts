import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgProxy, startPgProxy } from '../support/pg-proxy.ts';
import { admin, freshSchema, skipWithoutPostgres, TEST_DATABASE_URL, withSchema } from './targets.ts';

const SCHEMA = 'fb_suite_workerd';

/** Bundles the fixture Worker as wrangler would (platform neutral, no nodejs_compat) into `dir`. */
async function bundleWorker(dir: string): Promise<string> {
  await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'fixtures/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    outfile: join(dir, 'worker.mjs'),
    target: 'es2022',
    logLevel: 'silent',
  });
  return join(dir, 'worker.mjs');
}

// The Worker bundle (platform neutral, no nodejs_compat) reaches PostgreSQL through Neon's driver
// and the WebSocket proxy, with one pool per request closed by ctx.waitUntil.
describe.skipIf(skipWithoutPostgres('the workerd database test'))('Database on Cloudflare Workers (workerd, Neon driver)', () => {
  let proxy: PgProxy;
  let mf: Miniflare;
  let dir: string;

  beforeAll(async () => {
    await freshSchema(SCHEMA);
    const url = withSchema(TEST_DATABASE_URL as string, SCHEMA);
    proxy = await startPgProxy();
    dir = mkdtempSync(join(tmpdir(), 'fb-worker-'));
    const path = await bundleWorker(dir);
    mf = new Miniflare({
      // listed explicitly: Miniflare's own import scan refuses the drivers' computed imports (pg, PGlite)
      modules: [{ type: 'ESModule', path }],
      modulesRoot: dir,
      compatibilityDate: '2025-09-01',
      bindings: { ENVIRONMENT: 'TEST', DATABASE_URL: url, DATABASE_WS_PROXY: proxy.url },
    });
    await mf.ready;
  }, 60_000);

  afterAll(async () => {
    await mf?.dispose();
    await proxy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await admin(TEST_DATABASE_URL as string, `drop schema if exists ${SCHEMA} cascade`).catch(() => undefined);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await mf.dispatchFetch(`http://worker${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };

  it('writes and reads rows, maps conflicts to 409 and serialises bigint', async () => {
    expect(await call('POST', '/items', { name: 'from-workerd', qty: 2 })).toMatchObject({ status: 200, json: { name: 'from-workerd' } });
    expect(await call('POST', '/items', { name: 'from-workerd' })).toEqual({ status: 409, json: { message: 'Resource already exists' } });
    expect(await call('GET', '/items/by-name/from-workerd')).toMatchObject({ status: 200, json: { qty: 2 } });
    expect(await call('GET', '/items/count')).toMatchObject({ status: 200, json: { count: 1, big: '9007199254740993', small: 42 } });
    const rows = await admin(withSchema(TEST_DATABASE_URL as string, SCHEMA), 'select name from item');
    expect(rows).toEqual([{ name: 'from-workerd' }]);
  }, 30_000);

  it('closes each request’s pool after the response (no WebSocket outlives its request)', async () => {
    await call('GET', '/items');
    const until = Date.now() + 5000;
    while (proxy.connections > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(proxy.connections).toBe(0);
  });
});

// Needs no PostgreSQL: the Worker is given no DATABASE_URL at all.
describe('Database on Cloudflare Workers without DATABASE_URL (workerd)', () => {
  let mf: Miniflare;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-worker-'));
    const path = await bundleWorker(dir);
    mf = new Miniflare({
      modules: [{ type: 'ESModule', path }],
      modulesRoot: dir,
      compatibilityDate: '2025-09-01',
      bindings: { ENVIRONMENT: 'TEST' },
      handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
        logs.push(`${level}: ${message}`);
      },
    });
    await mf.ready;
  }, 60_000);

  afterAll(async () => {
    await mf?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the configuration (PGlite cannot run on Workers) instead of failing at the first statement', async () => {
    // the bindings arrive with the first request, so that is when the config is checked; every route fails alike
    for (const path of ['/running', '/items']) {
      const res = await mf.dispatchFetch(`http://worker${path}`);
      expect({ status: res.status, json: await res.json() }).toEqual({ status: 500, json: { message: 'Internal server error' } });
    }
    const until = Date.now() + 5000;
    while (logs.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(logs.join('\n')).toContain(
      'DATABASE_URL: a postgres:// URL is required on Cloudflare Workers, where the embedded PGlite cannot run (database)',
    );
  }, 30_000);
});
