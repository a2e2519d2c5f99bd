// A fixture Worker with a database, for the workerd tests: bundled as wrangler would (platform
// neutral, no nodejs_compat), run by Miniflare, reaching PostgreSQL through Neon's driver and the
// WebSocket proxy, in a schema of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { type PgProxy, startPgProxy } from '../support/pg-proxy.ts';
import { admin, freshSchema, TEST_DATABASE_URL, withSchema } from './targets.ts';

export interface WorkerWithDatabase {
  mf: Miniflare;
  proxy: PgProxy;
  /** The schema's database URL, for checking rows from the test. */
  url: string;
  close(): Promise<void>;
}

/** Bundles `fixture` (a file under test/db/fixtures/) into `dir`; returns the bundle's path. */
export async function bundleWorker(fixture: string, dir: string): Promise<string> {
  const outfile = join(dir, 'worker.mjs');
  await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'fixtures', fixture)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    outfile,
    target: 'es2022',
    logLevel: 'silent',
  });
  return outfile;
}

/** Starts `fixture` in Miniflare with `DATABASE_URL` on a fresh `schema`. Needs TEST_DATABASE_URL. */
export async function startWorkerWithDatabase(fixture: string, schema: string): Promise<WorkerWithDatabase> {
  await freshSchema(schema);
  const url = withSchema(TEST_DATABASE_URL as string, schema);
  const proxy = await startPgProxy();
  const dir = mkdtempSync(join(tmpdir(), 'fb-worker-'));
  const path = await bundleWorker(fixture, dir);
  const mf = new Miniflare({
    // listed explicitly: Miniflare's own import scan refuses the drivers' computed imports (pg, PGlite)
    modules: [{ type: 'ESModule', path }],
    modulesRoot: dir,
    compatibilityDate: '2025-09-01',
    bindings: { ENVIRONMENT: 'TEST', DATABASE_URL: url, DATABASE_WS_PROXY: proxy.url },
  });
  await mf.ready;
  const close = async () => {
    await mf.dispose();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
    await admin(TEST_DATABASE_URL as string, `drop schema if exists ${schema} cascade`).catch(() => undefined);
  };
  return { mf, proxy, url, close };
}
