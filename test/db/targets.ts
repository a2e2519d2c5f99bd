import pg from 'pg';
import '../../src/adapters/neon-node.ts';
import { type PgProxy, startPgProxy } from '../support/pg-proxy.ts';
import { skipWithoutPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';

// pg and Neon need the server of TEST_DATABASE_URL; PGlite always runs
export { skipWithoutPostgres, TEST_DATABASE_URL };

export type DriverName = 'pglite' | 'pg' | 'neon';

export interface Target {
  driver: DriverName;
  /** Env for createApp: the driver, its URL and small timeouts so fault tests stay quick. */
  env: Record<string, string>;
  /** A plain pg connection string to the same schema, for checks from a second connection. */
  url: string | undefined;
  schema: string | undefined;
  close(): Promise<void>;
}

/** `?options=-c search_path=...`: every suite gets its own schema, so parallel files never collide. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Runs statements on a fresh connection of its own (not the app's pool). */
export async function admin<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh schema (dropped and created) for one suite. */
export async function freshSchema(schema: string): Promise<void> {
  await admin(TEST_DATABASE_URL as string, `drop schema if exists ${schema} cascade; create schema ${schema}`);
}

// Connecting (SCRAM auth, through the ws proxy for Neon) can take a second on a loaded 2-core
// machine: the servers get the default acquire timeout; PGlite's single connection only waits.
const BASE_ENV = { ENVIRONMENT: 'TEST', LOG_LEVEL: 'ERROR', DATABASE_HEALTHCHECK_TIMEOUT_MS: '1500' };

export async function startTarget(driver: DriverName, schema: string, extra: Record<string, string> = {}): Promise<Target> {
  if (driver === 'pglite') {
    return {
      driver,
      env: { ...BASE_ENV, DATABASE_DRIVER: 'pglite', DATABASE_ACQUIRE_TIMEOUT_MS: '1000', ...extra },
      url: undefined,
      schema: undefined,
      close: async () => {},
    };
  }
  if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  await freshSchema(schema);
  const url = withSchema(TEST_DATABASE_URL, schema);
  let proxy: PgProxy | undefined;
  const env: Record<string, string> = { ...BASE_ENV, DATABASE_URL: url, DATABASE_DRIVER: driver, ...extra };
  if (driver === 'neon') {
    proxy = await startPgProxy();
    env.DATABASE_WS_PROXY = proxy.url;
  }
  return {
    driver,
    env,
    url,
    schema,
    async close() {
      await proxy?.close();
      await admin(TEST_DATABASE_URL as string, `drop schema if exists ${schema} cascade`).catch(() => undefined);
    },
  };
}
