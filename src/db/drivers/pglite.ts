import { DatabaseConnectionError } from '../errors.ts';
import type { Connection, Driver } from '../types.ts';
import { Mutex } from './mutex.ts';

// a variable keeps bundlers (a Workers build above all: PGlite needs fs and zlib) from pulling it in
const PGLITE_MODULE = '@electric-sql/pglite';

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
 * `int8` already comes back as a number when safe and a bigint otherwise, as the other drivers do.
 * @example const driver = await createPgliteDriver({ dataDir: 'memory://', acquireTimeoutMs: 5000 });
 */
export async function createPgliteDriver(settings: PgliteSettings): Promise<Driver> {
  const { PGlite } = (await import(/* @vite-ignore */ PGLITE_MODULE)) as { PGlite: new (dataDir?: string) => PgliteLike };
  const dataDir = settings.dataDir?.replace(/^file:\/\//, '');
  const db = new PGlite(dataDir === undefined || dataDir === '' ? undefined : dataDir);
  await db.waitReady;
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
      await db.close();
    },
    stats() {
      return { total: 1, idle: mutex.isLocked ? 0 : 1, waiting: mutex.waiting };
    },
  };
}
