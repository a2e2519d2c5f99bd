import { isConnectionError, toDatabaseError } from './errors.ts';

/** SQLSTATE 25P02, `current transaction is aborted, commands ignored until end of transaction block`. */
const IN_FAILED_TRANSACTION = '25P02';

import { type DbTimer, EXEC_UNBOUNDED, NO_STATS, run, type SharedState } from './shared-state.ts';
import { type Sql, toQuery } from './sql.ts';
import type { Connection, Database, PoolStats, QueryResult, RawResult } from './types.ts';

/** The handle a transaction callback gets: every statement on the one checked-out connection. */
export class TransactionDatabase implements Database {
  readonly state = { broken: false };
  finished = false;
  /** The first statement error, kept in case the callback swallows it (PostgreSQL then aborts the transaction). */
  failure: unknown;
  private savepoints = 0;

  constructor(
    private readonly conn: Connection,
    private readonly shared: SharedState,
    private readonly timer: DbTimer | undefined,
  ) {}

  get driver(): string {
    return this.shared.name;
  }

  get key(): object {
    return this.shared;
  }

  async timed<R>(fn: () => Promise<R>): Promise<R> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.timer?.(performance.now() - t0);
    }
  }

  private guard(): void {
    if (this.finished) throw new Error('This transaction is finished; use the handle only inside its callback');
  }

  async query<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<QueryResult<T>> {
    this.guard();
    const { text, values } = toQuery(query, params);
    let result: RawResult;
    try {
      result = await this.timed(() => run(this.conn, text, values, this.state));
    } catch (error) {
      // "current transaction is aborted": the statement that aborted it is the error to answer with
      if (this.failure !== undefined && (error as { sqlState?: unknown }).sqlState === IN_FAILED_TRANSACTION) throw this.failure;
      this.failure ??= error;
      throw error;
    }
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  }

  async one<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T | undefined> {
    return (await this.query<T>(query, params)).rows[0];
  }

  async many<T = Record<string, unknown>>(query: string | Sql, params?: readonly unknown[]): Promise<T[]> {
    return (await this.query<T>(query, params)).rows;
  }

  exec(script: string): Promise<void> {
    return this.execScript(script, false);
  }

  [EXEC_UNBOUNDED](script: string): Promise<void> {
    return this.execScript(script, true);
  }

  private async execScript(script: string, unbounded: boolean): Promise<void> {
    this.guard();
    try {
      await this.timed(() => this.conn.exec(script, unbounded));
    } catch (error) {
      if (isConnectionError(error)) this.state.broken = true;
      const mapped = toDatabaseError(error);
      this.failure ??= mapped;
      throw mapped;
    }
  }

  /** Nested transactions become savepoints. */
  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    this.guard();
    const name = `fb_sp_${++this.savepoints}`;
    await this.query(`savepoint ${name}`);
    // failures inside the savepoint are its own: rolling back to it makes the transaction usable again
    const outer = this.failure;
    this.failure = undefined;
    try {
      const result = await fn(this);
      // a statement failed and the callback swallowed it: the savepoint cannot be released, and
      // that statement's error (a 409, say) is the answer, not "current transaction is aborted"
      if (this.failure !== undefined) throw this.failure;
      await this.query(`release savepoint ${name}`);
      return result;
    } catch (error) {
      if (!this.state.broken) await this.query(`rollback to savepoint ${name}`).catch(() => undefined);
      throw error;
    } finally {
      this.failure = outer;
    }
  }

  async ping(): Promise<void> {
    await this.query('select 1');
  }

  /** The transaction ends with its callback; closing it does nothing. */
  async close(): Promise<void> {}

  stats(): PoolStats {
    return this.shared.driver?.stats() ?? NO_STATS;
  }
}
