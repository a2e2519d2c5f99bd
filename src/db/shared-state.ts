import { DatabaseConnectionError, isConnectionError, toDatabaseError } from './errors.ts';
import type { Connection, Database, Driver, PoolStats } from './types.ts';

/** Called with the milliseconds each statement took (the request's Server-Timing `db` phase). */
export type DbTimer = (ms: number) => void;

/** Runs once, before the first statement, on a handle that skips this gate (migrations). */
export type DatabaseInit = (db: Database) => Promise<void>;

export const NO_STATS: PoolStats = { total: 0, idle: 0, waiting: 0 };

/** Runs a script with no client-side read timeout (a migration's long `create index`). */
export const EXEC_UNBOUNDED = Symbol('fetch-batteries.execUnbounded');

/** State every handle of one database shares: the lazily opened driver and the init gate. */
export class SharedState {
  private driverPromise: Promise<Driver> | undefined;
  /** The driver being (or already) opened, so close() also closes one that was still opening. */
  private opening: Promise<Driver> | undefined;
  private initPromise: Promise<void> | undefined;
  driver: Driver | undefined;
  /** The handle migrations use: it skips the init gate it is part of. */
  raw: Database | undefined;
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
export async function run(conn: Connection, text: string, values: unknown[], state: { broken: boolean }) {
  try {
    return await conn.query(text, values);
  } catch (error) {
    if (isConnectionError(error)) state.broken = true;
    throw toDatabaseError(error);
  }
}
