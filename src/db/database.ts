import { isConnectionError, toDatabaseError } from './errors.ts';
import { type DatabaseInit, type DbTimer, NO_STATS, run, SharedState } from './shared-state.ts';
import { type Sql, toQuery } from './sql.ts';
import { TransactionDatabase } from './transaction.ts';
import type { Connection, Database, Driver, PoolStats, QueryResult } from './types.ts';

export { type DatabaseInit, type DbTimer, EXEC_UNBOUNDED } from './shared-state.ts';

/**
 * One object per database, shared by every handle of it (the app's, each request's timed one,
 * the migrations' ungated one, a transaction's), so state kept about "this database" (the
 * migrations tables it used, the in-process migration queue) is found from any of them.
 */
export function databaseKey(db: Database): object {
  return db instanceof PooledDatabase || db instanceof TransactionDatabase ? db.key : db;
}

/** The pooled handle: each statement checks a connection out and back in. */
export class PooledDatabase implements Database {
  constructor(
    private readonly shared: SharedState,
    private readonly gated: boolean,
    private readonly timer: DbTimer | undefined,
  ) {}

  get driver(): string {
    return this.shared.name;
  }

  /** See {@link databaseKey}. */
  get key(): object {
    return this.shared;
  }

  /** A handle on the same pool that reports statement time to `timer`. */
  withTiming(timer: DbTimer): PooledDatabase {
    return new PooledDatabase(this.shared, this.gated, timer);
  }

  private async checkout(): Promise<Connection> {
    try {
      const shared = this.shared;
      if (this.gated && shared.readyDriver !== undefined) return await shared.readyDriver.acquire();
      const driver = this.gated
        ? await shared.ready((shared.raw ??= new PooledDatabase(shared, false, undefined)))
        : await shared.getDriver();
      return await driver.acquire();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  async query<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<QueryResult<T>> {
    const { text, values } = toQuery(query, params);
    const timer = this.timer;
    const t0 = timer === undefined ? 0 : performance.now();
    let broken = false;
    let conn: Connection | undefined;
    try {
      const ready = this.gated ? this.shared.readyDriver : undefined;
      conn = ready !== undefined ? await ready.acquire() : await this.checkout();
      const result = await conn.query(text, values);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      if (conn !== undefined && isConnectionError(error)) broken = true;
      throw toDatabaseError(error);
    } finally {
      conn?.release(broken);
      if (timer !== undefined) timer(performance.now() - t0);
    }
  }

  async one<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T | undefined> {
    return (await this.query<T>(query, params)).rows[0];
  }

  async many<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T[]> {
    return (await this.query<T>(query, params)).rows;
  }

  async exec(script: string): Promise<void> {
    // in the request's Server-Timing `db` phase, as query() is
    const timer = this.timer;
    const t0 = timer === undefined ? 0 : performance.now();
    try {
      const conn = await this.checkout();
      let broken = false;
      try {
        await conn.exec(script);
      } catch (error) {
        broken = isConnectionError(error);
        throw toDatabaseError(error);
      } finally {
        conn.release(broken);
      }
    } finally {
      if (timer !== undefined) timer(performance.now() - t0);
    }
  }

  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const conn = await this.checkout();
    const tx = new TransactionDatabase(conn, this.shared, this.timer);
    try {
      await run(conn, 'begin', [], tx.state);
      this.timer?.(performance.now() - t0);
      const result = await fn(tx);
      if (tx.failure !== undefined) {
        // a statement failed and the callback carried on: unless a savepoint undid it, the
        // transaction is aborted and `commit` would silently roll back; answer with that error
        try {
          await run(conn, 'select 1', [], tx.state);
        } catch (error) {
          throw tx.state.broken ? toDatabaseError(error) : tx.failure;
        }
      }
      tx.finished = true;
      await tx.timed(() => run(conn, 'commit', [], tx.state));
      return result;
    } catch (error) {
      tx.finished = true;
      if (!tx.state.broken) {
        try {
          await conn.query('rollback', []);
        } catch {
          tx.state.broken = true;
        }
      }
      // errors from tx statements are mapped already; the callback's own errors pass through
      throw error;
    } finally {
      conn.release(tx.state.broken);
    }
  }

  async ping(): Promise<void> {
    await this.query('select 1');
  }

  close(): Promise<void> {
    const shared = this.shared;
    if (shared.closing === undefined) {
      shared.closed = true;
      shared.readyDriver = undefined;
      shared.closing = shared.closeDriver();
    }
    return shared.closing;
  }

  stats(): PoolStats {
    return this.shared.driver?.stats() ?? NO_STATS;
  }
}

/**
 * A Database over a lazily opened driver: nothing connects until the first statement, so
 * `createApp` stays synchronous. `init` (migrations) runs once before the first statement.
 * @example const db = openDatabase('pg', () => createPgDriver(settings), (raw) => migrate(raw, migrations).then(() => {}));
 */
export function openDatabase(name: string, open: () => Promise<Driver>, init?: DatabaseInit): PooledDatabase {
  return new PooledDatabase(new SharedState(name, open, init), true, undefined);
}
