import type { Sql } from './sql.ts';

/** What a statement returned. `int8`/`count(*)` come back as numbers when safe, else `bigint`. */
export interface QueryResult<T = Record<string, unknown>> {
  rows: T[];
  /** Rows returned, or affected by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/** Pool counters, for tests and diagnostics. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * The database handle `@Db()` injects and `app.db` exposes. Every error is already mapped to an
 * HttpError (503 connection, 409 conflict, 400 bad value, 500 `Query error`).
 * @example
 * const row = await db.one<{ uuid: string }>(sql`select uuid from patient where uuid = ${id}`);
 * await db.transaction(async (tx) => { await tx.query(sql`insert into audit (what) values (${'x'})`); });
 */
export interface Database {
  /** `pglite`, `pg` or `neon`. */
  readonly driver: string;
  query<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** The first row, `undefined` when there is none. */
  one<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T | undefined>;
  many<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements separated by `;`, no parameters (migrations, fixtures). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it
   * throws. Use the `tx` handle inside; the outer handle takes another connection (on PGlite it
   * waits for the transaction and gives up after the acquire timeout instead of hanging).
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /** `select 1`; throws the 503 error when the database cannot be reached. */
  ping(): Promise<void>;
  /** Closes the pool (idempotent); later queries answer 503. */
  close(): Promise<void>;
  stats(): PoolStats;
}

/** A driver's raw result (before error mapping). */
export interface RawResult {
  rows: Record<string, unknown>[];
  /** `null` for statements that affect no rows in node-postgres. */
  rowCount: number | null;
}

/** One checked-out connection. `release(true)` discards a broken one. */
export interface Connection {
  query(text: string, values: unknown[]): Promise<RawResult>;
  /** `unbounded`: without the pool's client-side read timeout (migrations). */
  exec(script: string, unbounded?: boolean): Promise<void>;
  release(broken?: boolean): void;
}

/** What each driver file provides; the Database class adds mapping, timing and transactions. */
export interface Driver {
  readonly name: 'pglite' | 'pg' | 'neon';
  /** Waits at most the acquire timeout for a connection. */
  acquire(): Promise<Connection>;
  close(): Promise<void>;
  stats(): PoolStats;
}
