/**
 * A lock file left by an earlier process with this process's own pid: what a container restarted
 * after a hard kill (SIGKILL, OOM) finds, since its server starts as the same pid in its namespace.
 * It is stale and taken over; a directory this process really holds is still refused.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type Database, silentLogger, sql } from '../../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'fb-pglite-pid-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const open = (dir: string) =>
  createApp({ env: { ENVIRONMENT: 'DEVELOPMENT', DATABASE_URL: dir }, database: true, docs: false, logger: silentLogger });

describe('PGlite lock left with our own pid', () => {
  it('is taken over: the app opens the directory and answers', async () => {
    const dir = join(root, 'restarted');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fetch-batteries.lock'), String(process.pid));
    const app = open(dir);
    try {
      await app.ready();
      expect(await (app.db as Database).one(sql`select 1 as x`)).toEqual({ x: 1 });
      expect(readFileSync(join(dir, 'fetch-batteries.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await app.close();
    }
  }, 60_000);

  it('but a second app in this process on a directory the first holds is refused, naming this process', async () => {
    const dir = join(root, 'held');
    const first = open(dir);
    const second = open(dir);
    try {
      await first.ready();
      const refused = await second.ready().then(
        () => 'opened',
        // the caller's error is the generic 503; the reason travels as its cause, for the log
        (error: unknown) => `${String(error)} / ${String((error as Error).cause)}`,
      );
      expect(refused).toContain('Database connection failed');
      expect(refused).toContain(`PGlite data directory ${dir} is in use by this process (${process.pid})`);
    } finally {
      await second.close();
      await first.close();
    }
  }, 60_000);
});
