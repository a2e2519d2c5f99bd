import { platform } from '../../kernel/platform.ts';
import { DatabaseConnectionError } from '../errors.ts';
import type { Connection, Driver } from '../types.ts';
import { Mutex } from './mutex.ts';
import { type LockHost, lockDataDir } from './pglite-lock.ts';

// variables keep bundlers (a Workers build above all: PGlite needs fs and zlib) from pulling them in
const PGLITE_MODULE = '@electric-sql/pglite';
const FS_MODULE = 'node:fs';
const PROCESS_MODULE = 'node:process';

interface FsLike {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  writeFileSync(path: string, text: string, options: { flag: string }): void;
  linkSync(from: string, to: string): void;
  readFileSync(path: string, encoding: 'utf8'): string;
  rmSync(path: string, options: { force: true }): void;
}

interface ProcessLike {
  pid: number;
  kill(pid: number, signal: 0): unknown;
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The lock's runtime calls, through `node:fs` and `node:process` (PGlite on Node, Bun and Deno has both). */
async function lockHost(): Promise<LockHost> {
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as FsLike;
  const proc = ((await import(/* @vite-ignore */ PROCESS_MODULE)) as { default: ProcessLike }).default;
  return {
    pid: proc.pid,
    makeDir: (dir) => fs.mkdirSync(dir, { recursive: true }),
    createExclusive(path, text) {
      // written aside, then linked into place: the lock never exists without its pid in it
      const aside = `${path}.${proc.pid}`;
      fs.writeFileSync(aside, text, { flag: 'w' });
      try {
        fs.linkSync(aside, path);
        return true;
      } catch (error) {
        if (errorCode(error) === 'EEXIST') return false;
        throw error;
      } finally {
        fs.rmSync(aside, { force: true });
      }
    },
    read(path) {
      try {
        return fs.readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    remove: (path) => fs.rmSync(path, { force: true }),
    isAlive(pid) {
      try {
        proc.kill(pid, 0);
        return true;
      } catch (error) {
        return errorCode(error) !== 'ESRCH';
      }
    },
    onExit: (fn) => platform().onProcessExit(fn),
  };
}

/** A directory on disk, as opposed to `memory://` or another scheme PGlite handles itself. */
function diskDirectory(dataDir: string | undefined): string | undefined {
  return dataDir === undefined || dataDir === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir) ? undefined : dataDir;
}

export interface PgliteSettings {
  /** `memory://` (default) or a directory for a persistent database. */
  dataDir?: string;
  acquireTimeoutMs: number;
}

interface PgliteLike {
  waitReady: Promise<void>;
  closed: boolean;
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * PGlite, PostgreSQL compiled to WebAssembly, in process: the default outside production when no
 * `DATABASE_URL` is set. One connection, so statements and transactions queue on a mutex.
 * `int8` already comes back as a number when safe and a bigint otherwise, as the other drivers do;
 * `date` as `YYYY-MM-DD` text, as they are set to.
 * @example const driver = await createPgliteDriver({ dataDir: 'memory://', acquireTimeoutMs: 5000 });
 */
export async function createPgliteDriver(settings: PgliteSettings): Promise<Driver> {
  const { PGlite } = (await import(/* @vite-ignore */ PGLITE_MODULE)) as {
    PGlite: new (options: { dataDir?: string; parsers: Record<number, (text: string) => unknown> }) => PgliteLike;
  };
  const dataDir = settings.dataDir?.replace(/^file:\/\//, '');
  const dir = diskDirectory(dataDir);
  let unlock: (() => void) | undefined;
  if (dir !== undefined) {
    const host = await lockHost();
    // `./data/pg` works on a fresh checkout: PGlite creates only the last level itself
    host.makeDir(dir);
    try {
      unlock = lockDataDir(host, dir);
    } catch (error) {
      // a 503 for requests; the log (and app.ready()'s rejection) carries the reason as the cause
      throw new DatabaseConnectionError(error);
    }
  }
  // `date` as its `YYYY-MM-DD` text, as the pg driver returns it (a date has no time zone)
  const db = new PGlite({ dataDir: dataDir === undefined || dataDir === '' ? undefined : dataDir, parsers: { 1082: (text) => text } });
  try {
    await db.waitReady;
  } catch (error) {
    unlock?.();
    throw error;
  }
  const mutex = new Mutex(settings.acquireTimeoutMs);
  let closed = false;

  const checkout = (): Connection => {
    let released = false;
    return {
      async query(text, values) {
        const result = await db.query(text, values);
        return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
      },
      async exec(script) {
        await db.exec(script);
      },
      release() {
        // a second release would hand the lock to a waiter while someone else holds it
        if (released) return;
        released = true;
        mutex.release();
      },
    };
  };

  return {
    name: 'pglite',
    async acquire() {
      if (closed || db.closed) throw new DatabaseConnectionError(new Error('PGlite is closed'));
      await mutex.acquire();
      return checkout();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        unlock?.();
      }
    },
    stats() {
      return { total: 1, idle: mutex.isLocked ? 0 : 1, waiting: mutex.waiting };
    },
  };
}
