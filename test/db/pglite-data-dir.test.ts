import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type Database, silentLogger, sql } from '../../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'fb-pglite-dir-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Starts the holder script on `dir`; resolves with its first line of output and the process. */
function holder(dir: string, who: string): Promise<{ line: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/db/fixtures/pglite-holder.ts', dir, who], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ line: out.slice(0, end), child });
    });
    child.on('exit', (code) => reject(new Error(`holder ${who} exited (${code}) before a line: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));

describe('PGlite in a directory whose parents do not exist', () => {
  it('creates the directory with its parents and keeps the data there', async () => {
    const dir = join(root, 'fresh', 'data', 'pg');
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT', DATABASE_URL: dir }, database: true, docs: false, logger: silentLogger });
    try {
      await app.ready();
      expect(await (app.db as Database).one(sql`select 1 as x`)).toEqual({ x: 1 });
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('PGlite: one process per directory', () => {
  it('refuses a second process with 503 and a log naming the directory and the holder, takes over after the holder died', async () => {
    const dir = join(root, 'shared');
    const first = await holder(dir, 'a');
    expect(first.line).toMatch(/^ready \d+ a$/);
    const firstPid = first.line.split(' ')[1];
    expect(readFileSync(join(dir, 'fetch-batteries.lock'), 'utf8')).toBe(firstPid);

    const second = await holder(dir, 'b');
    expect(second.line).toMatch(/^refused 503 /);
    expect(second.line).toContain(`PGlite data directory ${dir} is in use by process ${firstPid}`);
    await exited(second.child);

    // killed: no exit hook runs, the lock names a process that is gone and the next one takes over
    first.child.kill('SIGKILL');
    await exited(first.child);
    const third = await holder(dir, 'c');
    expect(third.line).toMatch(/^ready \d+ a,c$/);

    // a clean close releases the lock
    third.child.stdin?.end();
    expect(await exited(third.child)).toBe(0);
    expect(existsSync(join(dir, 'fetch-batteries.lock'))).toBe(false);
  }, 120_000);
});
