import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, skipWithoutPostgres } from './targets.ts';
import { bundleWorker, startWorkerWithDatabase, type WorkerWithDatabase } from './worker-database.ts';

const SCHEMA = 'fb_suite_workerd';

// The Worker bundle (platform neutral, no nodejs_compat) reaches PostgreSQL through Neon's driver
// and the WebSocket proxy, with one pool per request closed by ctx.waitUntil.
describe.skipIf(skipWithoutPostgres('the workerd database test'))('Database on Cloudflare Workers (workerd, Neon driver)', () => {
  let worker: WorkerWithDatabase;

  beforeAll(async () => {
    worker = await startWorkerWithDatabase('worker.ts', SCHEMA);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await worker.mf.dispatchFetch(`http://worker${path}`, {
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
    const rows = await admin(worker.url, 'select name from item');
    expect(rows).toEqual([{ name: 'from-workerd' }]);
  }, 30_000);

  it('closes each request’s pool after the response (no WebSocket outlives its request)', async () => {
    await call('GET', '/items');
    const until = Date.now() + 5000;
    while (worker.proxy.connections > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(worker.proxy.connections).toBe(0);
  });
});

// Needs no PostgreSQL: the Worker is given no DATABASE_URL at all.
describe('Database on Cloudflare Workers without DATABASE_URL (workerd)', () => {
  let mf: Miniflare;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-worker-'));
    const path = await bundleWorker('worker.ts', dir);
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
