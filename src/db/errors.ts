import { BadRequestError, DuplicateResourceError, type ErrorCode, HttpError, ServiceUnavailableError } from '../kernel/http-errors.ts';

/** The one message a caller sees when the database cannot be reached. */
export const CONNECTION_FAILED = 'Database connection failed: Service unavailable';

/** 503: the database is down, unreachable, restarting, or the pool had no free connection in time. */
export class DatabaseConnectionError extends ServiceUnavailableError {
  constructor(cause?: unknown) {
    super(CONNECTION_FAILED, { cause }, 'DB_CONNECTION');
  }
}

/** 503 `Database query timed out`: PostgreSQL cancelled the statement (`57014`, statement_timeout). */
export class DatabaseTimeoutError extends ServiceUnavailableError {
  readonly sqlState = '57014';
  constructor(cause?: unknown) {
    super('Database query timed out', { cause }, 'DB_TIMEOUT');
  }
}

/** 409: a unique, foreign-key or exclusion constraint refused the write. */
export class DatabaseConflictError extends DuplicateResourceError {
  /** The SQLSTATE (`23505`, `23503`, `23P01`) and the constraint name, for programs and logs. */
  readonly sqlState: string;
  readonly constraint: string | undefined;
  constructor(message: string, sqlState: string, constraint?: string, cause?: unknown) {
    super(message, { cause });
    this.sqlState = sqlState;
    this.constraint = constraint;
  }
}

/** 400: a value the database refused (missing, too long, out of range, malformed). */
export class DatabaseValueError extends BadRequestError {
  readonly sqlState: string;
  constructor(message: string, sqlState: string, cause?: unknown) {
    super(message, { cause });
    this.sqlState = sqlState;
  }
}

/** The one message a caller sees when PostgreSQL gave up a transaction that a retry would likely complete. */
export const RETRY_TRANSACTION = 'Database transaction conflict: retry the request';

/**
 * 503 with `Retry-After: 1`: a serialization failure (`40001`) or a deadlock (`40P01`). PostgreSQL
 * rolled the transaction back because of concurrent ones; the same request is expected to succeed
 * when sent again.
 */
export class DatabaseRetryError extends ServiceUnavailableError {
  readonly sqlState: string;
  constructor(sqlState: string, cause?: unknown) {
    super(RETRY_TRANSACTION, { headers: { 'retry-after': '1' }, cause }, 'DB_RETRY');
    this.sqlState = sqlState;
  }
}

/** 500 `Query error`: any other failed statement. The driver's text goes to the log only. */
export class QueryError extends HttpError {
  declare readonly code: ErrorCode;
  readonly sqlState: string | undefined;
  constructor(sqlState: string | undefined, cause?: unknown) {
    super(500, 'Query error', 'QUERY_ERROR', { cause });
    this.sqlState = sqlState;
  }
}

const CONFLICTS: Record<string, string> = {
  '23505': 'Resource already exists',
  '23503': 'Conflicts with a related resource',
  '23P01': 'Conflicts with an existing resource',
};

const BAD_VALUES: Record<string, string> = {
  '23502': 'A required value is missing',
  '23514': 'A value does not satisfy a check constraint',
  '22001': 'A value is too long',
  '22003': 'A numeric value is out of range',
  '22007': 'Invalid date or time value',
  '22008': 'Date or time value out of range',
  '22P02': 'Invalid value',
  '22023': 'Invalid parameter value',
  // a NUL (U+0000) in a text value, or in a JSON string bound for jsonb: both come from user input
  '22021': 'A value contains a character that cannot be stored',
  '22P05': 'A value contains a character that cannot be stored',
};

const RETRYABLE = new Set(['40001', '40P01']);

// Node socket errors and pg/neon/PGlite transport messages (none carry a SQLSTATE)
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const CONNECTION_MESSAGES =
  /connection|websocket|socket|closed|ended|not queryable|could not connect|timeout exceeded|read timeout|ECONNREFUSED/i;

/** A SQLSTATE: five characters with at least one digit (Node's `EPIPE` is not one). */
function sqlState(code: unknown): string | undefined {
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code) ? code : undefined;
}

/** Whether an error means "could not talk to the database" (so the connection is broken). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof DatabaseConnectionError) return true;
  if (error === null || typeof error !== 'object') return false;
  const raw = (error as { code?: unknown }).code;
  const code = sqlState(raw);
  // 08P01 protocol_violation is the statement's fault (a bind with the wrong number of values), not the link's
  if (code !== undefined)
    return (code.startsWith('08') && code !== '08P01') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
  if (typeof raw === 'string' && CONNECTION_CODES.has(raw)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}

/** The 503 kinds (connection, timeout, retry): the database could not be used now, nothing is wrong with the statement. */
export function isUnavailableError(error: unknown): boolean {
  return error instanceof DatabaseConnectionError || error instanceof DatabaseTimeoutError || error instanceof DatabaseRetryError;
}

/** Maps any driver error to the HttpError the caller sees; never copies the driver's message or detail. */
export function toDatabaseError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const e = (error ?? {}) as { code?: unknown; constraint?: unknown };
  const code = sqlState(e.code);
  if (code !== undefined) {
    const conflict = CONFLICTS[code];
    if (conflict) return new DatabaseConflictError(conflict, code, typeof e.constraint === 'string' ? e.constraint : undefined, error);
    const bad = BAD_VALUES[code];
    if (bad) return new DatabaseValueError(bad, code, error);
    if (RETRYABLE.has(code)) return new DatabaseRetryError(code, error);
    if (code === '57014') return new DatabaseTimeoutError(error);
    if (isConnectionError(error) || code === '28P01' || code === '28000' || code === '3D000') return new DatabaseConnectionError(error);
    return new QueryError(code, error);
  }
  if (isConnectionError(error)) return new DatabaseConnectionError(error);
  return new QueryError(undefined, error);
}
