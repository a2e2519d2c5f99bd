import { DatabaseConnectionError, isConnectionError, toDatabaseError } from './errors.ts';
import { type Sql, toQuery } from './sql.ts';
import type { Connection, Database, Driver, PoolStats, QueryResult, RawResult } from './types.ts';

/** Called with the milliseconds each statement took (the request's Server-Timing `db` phase). */
export type DbTimer = (ms: number) => void;

/** Runs once, before the first statement, on a handle that skips this gate (migrations). */
export type DatabaseInit = (db: Database) => Promise<void>;

const NO_STATS: PoolStats = { total: 0, idle: 0, waiting: 0 };

/**
 * One object per database, shared by every handle of it (the app's, each request's timed one,
 * the migrations' ungated one, a transaction's), so state kept about "this database" (the
 * migrations tables it used, the in-process migration queue) is found from any of them.
 */
export function databaseKey(db: Database): object {
  return db instanceof PooledDatabase || db instanceof TransactionDatabase ? db.key : db;
}

/** Runs a script with no client-side read timeout (a migration's long `create index`). */
export const EXEC_UNBOUNDED = Symbol('fetch-batteries.execUnbounded');

/** State every handle of one database shares: the lazily opened driver and the init gate. */
class SharedState {
  private driverPromise: Promise<Driver> | undefined;
  /** The driver being (or already) opened, so close() also closes one that was still opening. */
  private opening: Promise<Driver> | undefined;
  private initPromise: Promise<void> | undefined;
  driver: Driver | undefined;
  /** The handle migrations use: it skips the init gate it is part of. */
  raw: PooledDatabase | undefined;
  closed = false;
  closing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly open: () => Promise<Driver>,
    private readonly init: DatabaseInit | undefined,
  ) {}

  /** Opens the driver on first use; a failed open is forgotten so the next call retries. */
  getDriver(): Promise<Driver> {
    if (this.closed) return Promise.reject(new DatabaseConnectionError(new Error('database is closed')));
    if (this.driverPromise === undefined) {
      const opening = this.open();
      this.opening = opening;
      this.driverPromise = opening.then(
        (driver) => {
          this.driver = driver;
          // close() ran while it was opening: close() ends it, nobody may use it
          if (this.closed) throw new DatabaseConnectionError(new Error('database is closed'));
          return driver;
        },
        (error) => {
          this.driverPromise = undefined;
          this.opening = undefined;
          throw error;
        },
      );
    }
    return this.driverPromise;
  }

  /** Closes the driver, also one that is still opening. */
  closeDriver(): Promise<void> {
    const opening = this.opening;
    if (opening === undefined) return Promise.resolve();
    return opening.then(
      (driver) => driver.close().catch(() => undefined),
      () => undefined,
    );
  }

  /** Set once the driver is open and init has run: statements then skip both awaits. */
  readyDriver: Driver | undefined;

  async ready(raw: Database): Promise<Driver> {
    const driver = await this.getDriver();
    if (this.init !== undefined) {
      this.initPromise ??= this.init(raw).catch((error) => {
        this.initPromise = undefined;
        throw error;
      });
      await this.initPromise;
    }
    if (this.closed) throw new DatabaseConnectionError(new Error('database is closed'));
    this.readyDriver = driver;
    return driver;
  }
}

/** Runs one statement on a connection, flagging the connection broken on transport errors. */
async function run(conn: Connection, text: string, values: unknown[], state: { broken: boolean }) {
  try {
    return await conn.query(text, values);
  } catch (error) {
    if (isConnectionError(error)) state.broken = true;
    throw toDatabaseError(error);
  }
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

/** The handle a transaction callback gets: every statement on the one checked-out connection. */
class TransactionDatabase implements Database {
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
    try {
      const result = await fn(this);
      await this.query(`release savepoint ${name}`);
      return result;
    } catch (error) {
      if (!this.state.broken) await this.query(`rollback to savepoint ${name}`).catch(() => undefined);
      throw error;
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

/**
 * A Database over a lazily opened driver: nothing connects until the first statement, so
 * `createApp` stays synchronous. `init` (migrations) runs once before the first statement.
 * @example const db = openDatabase('pg', () => createPgDriver(settings), (raw) => migrate(raw, migrations).then(() => {}));
 */
export function openDatabase(name: string, open: () => Promise<Driver>, init?: DatabaseInit): PooledDatabase {
  return new PooledDatabase(new SharedState(name, open, init), true, undefined);
}
