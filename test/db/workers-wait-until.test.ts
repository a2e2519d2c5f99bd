import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgProxy, startPgProxy } from '../support/pg-proxy.ts';
import { admin, freshSchema, skipWithoutPostgres, TEST_DATABASE_URL, withSchema } from './targets.ts';

const SCHEMA = 'fb_workerd_wait_until';

// A route that hands a write on its @Db() handle to ctx.waitUntil: the request's pool must stay
// open until that write is done, not close as soon as the response is sent.
describe.skipIf(skipWithoutPostgres('the workerd waitUntil database test'))('@Db() inside ctx.waitUntil on Workers (workerd)', () => {
  let proxy: PgProxy;
  let mf: Miniflare;
  let dir: string;
  // in beforeAll: the body of a skipped describe still runs, without TEST_DATABASE_URL
  let url: string;

  beforeAll(async () => {
    url = withSchema(TEST_DATABASE_URL as string, SCHEMA);
    await freshSchema(SCHEMA);
    proxy = await startPgProxy();
    dir = mkdtempSync(join(tmpdir(), 'fb-worker-'));
    const path = join(dir, 'worker.mjs');
    // as wrangler bundles it: platform neutral, no nodejs_compat
    await esbuild.build({
      entryPoints: [join(import.meta.dirname, 'fixtures/worker-wait-until.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      outfile: path,
      target: 'es2022',
      logLevel: 'silent',
    });
    mf = new Miniflare({
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

  it('5 requests whose waitUntil task inserts a row with the request’s handle: 5 rows', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await mf.dispatchFetch('http://worker/visit');
      expect({ status: res.status, json: await res.json() }).toEqual({ status: 200, json: { accepted: true } });
    }
    // the migrations run with the first statement, in the first task: no table yet counts as no row
    const count = async () => (await admin<{ n: number }>(url, 'select count(*)::int as n from visit').catch(() => [{ n: 0 }]))[0].n;
    // the tasks run after their responses: wait for them (a few seconds at most), then count
    const until = Date.now() + 5000;
    while ((await count()) < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(5);
    // and each request's pool is closed once its task is done: no WebSocket left open
    while (proxy.connections > 0 && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 20));
    expect(proxy.connections).toBe(0);
  }, 30_000);
});
