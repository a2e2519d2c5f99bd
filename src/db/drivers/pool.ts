import { HttpError } from '../../kernel/http-errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import { DatabaseConnectionError } from '../errors.ts';
import type { Connection, Driver, RawResult } from '../types.ts';

/** The part of a node-postgres `Pool` (also Neon's) that we use. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error, client?: object) => void): unknown;
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  /** node-postgres and Neon read `query_timeout` from here each time `query()` is called. */
  connectionParameters?: { query_timeout?: unknown };
  release(destroy?: boolean | Error): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Settings shared by the pg and Neon pools. */
export interface PoolSettings {
  connectionString: string;
  poolSize: number;
  acquireTimeoutMs: number;
  /** 0 = no limit. */
  statementTimeoutMs: number;
  logger?: Logger;
}

/** `int8` (count(*), bigint) as a number when it is safe, else a bigint: what PGlite returns too. */
export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Each element of a parsed `int8[]` (nested for several dimensions) through {@link parseInt8}; NULL stays null. */
function mapInt8Array(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mapInt8Array);
  return typeof value === 'string' ? parseInt8(value) : value;
}

const keepText = (text: string) => text;

/**
 * node-postgres `types` option: our int8 and int8[] parsers over the driver's defaults, `date`
 * (and `date[]`) as the `YYYY-MM-DD` text, as PGlite is set to return it, and `numeric[]` as text.
 */
export function int8Types(getTypeParser: (oid: number, format?: string) => unknown) {
  // the driver's own array parser (quoting, NULL, dimensions) gives strings; we convert the elements
  const int8Array = (text: string) => mapInt8Array((getTypeParser(1016) as (text: string) => unknown)(text));
  return {
    getTypeParser(oid: number, format?: string) {
      if (format !== 'binary') {
        if (oid === 20) return parseInt8;
        if (oid === 1016) return int8Array;
        // a date has no time zone: a Date at local midnight shifts it a day in any zone east of UTC
        if (oid === 1082) return keepText;
        // text[]'s parser keeps each element's text: date[], and numeric[] (whose default parser
        // makes floats, losing digits a scalar numeric keeps as text, as PGlite returns both)
        if (oid === 1182 || oid === 1231) return getTypeParser(1009, format);
      }
      return getTypeParser(oid, format);
    },
  };
}

/** pg option names for the settings (node-postgres and Neon accept the same ones). */
export function poolOptions(settings: PoolSettings): Record<string, unknown> {
  return {
    connectionString: settings.connectionString,
    max: settings.poolSize,
    // node-postgres waits forever by default; this bounds both queueing and connecting
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    idleTimeoutMillis: 10_000,
    // statement_timeout is the server's: a server that stops answering (a hung host, a dropped
    // network) would leave the statement waiting forever without a client-side bound as well
    ...(settings.statementTimeoutMs > 0
      ? { statement_timeout: settings.statementTimeoutMs, query_timeout: settings.statementTimeoutMs + settings.acquireTimeoutMs }
      : {}),
  };
}

const LOST = Symbol('fetch-batteries.lost');
type TrackedClient = PgClientLike & { [LOST]?: boolean };

/** One checked-out client. A class, so a checkout allocates one small object and no closures. */
class PoolConnection implements Connection {
  private released = false;

  constructor(private readonly client: TrackedClient) {}

  /** pg's own result (rows, rowCount); the Database copies the two fields out. */
  query(text: string, values: unknown[]): Promise<RawResult> {
    return this.client.query(text, values) as Promise<RawResult>;
  }

  async exec(script: string, unbounded?: boolean): Promise<void> {
    // no values: the simple protocol, which runs several statements
    const params = unbounded === true ? this.client.connectionParameters : undefined;
    if (params === undefined) {
      await this.client.query(script);
      return;
    }
    // the read timer is armed inside query() from the connection's setting (Neon ignores a
    // per-query one): lift it for this call only
    const saved = params.query_timeout;
    params.query_timeout = false;
    let pending: Promise<unknown>;
    try {
      pending = this.client.query(script);
    } finally {
      params.query_timeout = saved;
    }
    await pending;
  }

  release(broken?: boolean): void {
    if (this.released) return;
    this.released = true;
    this.client.release(broken === true || this.client[LOST] === true);
  }
}

/** Wraps a pg-compatible pool. Its `error` listener keeps an idle client's failure from killing the process. */
export function poolDriver(name: 'pg' | 'neon', pool: PgPoolLike, logger: Logger | undefined): Driver {
  pool.on('error', (error, client) => {
    // a client we track has logged its loss already (its listener runs first)
    if ((client as TrackedClient | undefined)?.[LOST] === true) return;
    logger?.warn('database: idle connection lost', { driver: name, error: error.message });
  });
  // pg-pool drops its idle listener while a client is checked out: without ours, a connection
  // killed between two statements of a transaction would be an uncaught 'error' (process exit).
  // One listener per client for its whole life, so a checkout adds none.
  const tracked = new WeakSet<object>();
  const track = (client: TrackedClient) => {
    tracked.add(client);
    client.on('error', (error) => {
      client[LOST] = true;
      logger?.warn('database: connection lost', { driver: name, error: error.message });
    });
  };
  let closing: Promise<void> | undefined;
  return {
    name,
    async acquire(): Promise<Connection> {
      let client: TrackedClient;
      try {
        client = (await pool.connect()) as TrackedClient;
      } catch (error) {
        // no connection was had: whatever the driver says (workerd's WebSocket rejects with a bare
        // ErrorEvent for a host it cannot resolve), this is the database being unreachable, a 503
        throw error instanceof HttpError ? error : new DatabaseConnectionError(error);
      }
      if (!tracked.has(client)) track(client);
      return new PoolConnection(client);
    },
    close() {
      closing ??= pool.end().catch(() => undefined);
      return closing;
    },
    stats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  };
}
