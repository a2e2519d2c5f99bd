import { bodyTooLarge, JSON_REQUIRED } from './messages.ts';

/** The error body: `json` (`{"message": ...}`) or `problem` (RFC 9457 `application/problem+json`). */
export type ErrorFormat = 'json' | 'problem';

/**
 * Every `code` the framework itself puts on an error (a union, as jose's `JOSEErrorCode`), so a
 * program can switch on it with the compiler checking the spelling.
 */
export const ERROR_CODES = [
  'HTTP_ERROR',
  'BAD_REQUEST',
  'AUTH_MISSING',
  'FORBIDDEN',
  'PERMISSION_DENIED',
  'INVALID_CREDENTIALS',
  'INVALID_API_KEY',
  'DROP_DATA_REFUSED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'DUPLICATE_RESOURCE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE_ENTITY',
  'INTERNAL',
  'QUERY_ERROR',
  'NOT_IMPLEMENTED',
  'SERVICE_UNAVAILABLE',
  'KEYS_UNAVAILABLE',
  'DB_CONNECTION',
  'DB_TIMEOUT',
  'DB_RETRY',
  'SHUTTING_DOWN',
  'CLIENT_CLOSED_REQUEST',
] as const;

/**
 * A code the framework raises. Every class the framework exports types its `code` as this union;
 * your own codes go through the base class (`new HttpError(418, 'Teapot', 'TEAPOT')` or a subclass
 * of `HttpError`), whose `code` is any string.
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface HttpErrorOptions {
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
  /**
   * A 5xx that is an expected answer rather than a failure of ours (a client may provoke it at
   * will): logged at `warn` without a stack instead of at `error` with one.
   */
  expected?: boolean;
}

/**
 * Base of every error the framework maps to a response. `code` is stable for programs,
 * `message` is what the caller sees.
 * @example throw new HttpError(418, "I'm a teapot", 'TEAPOT')
 */
export class HttpError extends Error {
  readonly status: number;
  // `string & {}` keeps editor completion for the framework's codes while allowing your own
  readonly code: ErrorCode | (string & {});
  /** Extra JSON fields for the response body (e.g. validation `issues`). */
  readonly details?: Record<string, unknown>;
  /** Extra response headers (e.g. `Allow` on 405). */
  readonly headers?: Record<string, string>;
  /** See {@link HttpErrorOptions.expected}. */
  readonly expected: boolean;

  constructor(status: number, message: string, code: ErrorCode | (string & {}) = 'HTTP_ERROR', options?: HttpErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = options?.details;
    this.headers = options?.headers;
    this.expected = options?.expected === true;
  }
}

/** 400. @example throw new BadRequestError('page must be positive') */
export class BadRequestError extends HttpError {
  // the framework's own classes type `code` as ErrorCode: a misspelt code in a comparison or switch does not compile
  declare readonly code: ErrorCode;
  constructor(message = 'Bad request', options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(400, message, 'BAD_REQUEST', options);
  }
}

/**
 * 401: credentials are missing (no API key; no bearer token, which also sends `WWW-Authenticate: Bearer`).
 * @example throw new AuthMissingError('No API key supplied')
 */
export class AuthMissingError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = 'Not authenticated', options?: { headers?: Record<string, string> }) {
    super(401, message, 'AUTH_MISSING', options);
  }
}

/** 403 with the fixed message `Forbidden`. @example throw new ForbiddenError() */
export class ForbiddenError extends HttpError {
  declare readonly code: ErrorCode;
  constructor() {
    super(403, 'Forbidden', 'FORBIDDEN');
  }
}

/** 403 with a message of your own (`Invalid API key supplied`, `Not enough permissions`, ...). */
export class PermissionDeniedError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = 'Not enough permissions', code: ErrorCode = 'PERMISSION_DENIED') {
    super(403, message, code);
  }
}

/**
 * 404 (`EntityNotFoundException` in the Python package). The default text is FastAPI's for an
 * unknown path, as are the 405's.
 * @example throw new NotFoundError(`Patient ${id} not found`)
 */
export class NotFoundError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = 'Not Found') {
    super(404, message, 'NOT_FOUND');
  }
}
/** Python-compatible alias of {@link NotFoundError}. */
export const EntityNotFoundError = NotFoundError;

/** 405 with `Allow`. */
export class MethodNotAllowedError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(allow: string) {
    super(405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', { headers: { allow } });
  }
}

/** 409. @example throw new DuplicateResourceError('Patient already exists') */
export class DuplicateResourceError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = 'Duplicate resource', options?: { cause?: unknown }) {
    super(409, message, 'DUPLICATE_RESOURCE', options);
  }
}

/** 413. */
export class PayloadTooLargeError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(limit: number) {
    super(413, bodyTooLarge(limit), 'PAYLOAD_TOO_LARGE');
  }
}

/** 414. */
export class UriTooLongError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(limit: number) {
    super(414, `Request path exceeds ${limit} characters`, 'URI_TOO_LONG');
  }
}

/** 415. */
export class UnsupportedMediaTypeError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = JSON_REQUIRED, options?: { headers?: Record<string, string> }) {
    super(415, message, 'UNSUPPORTED_MEDIA_TYPE', options);
  }
}

export interface ValidationIssue {
  /** Where: `['body', 'name']`, `['path', 'patient_id']`, `['query', 'page']`, `['header', 'x-a']`. */
  path: (string | number)[];
  message: string;
}

/** 422 with `issues`. @example throw new UnprocessableEntityError('Invalid request', [{ path: ['body', 'age'], message: 'too old' }]) */
export class UnprocessableEntityError extends HttpError {
  declare readonly code: ErrorCode;
  readonly issues: ValidationIssue[];
  constructor(message = 'Validation failed', issues: ValidationIssue[] = []) {
    super(422, message, 'UNPROCESSABLE_ENTITY', { details: { issues } });
    this.issues = issues;
  }
}

/** 501. */
export class NotImplementedError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(message = 'Not implemented') {
    super(501, message, 'NOT_IMPLEMENTED');
  }
}

/**
 * 503, the base of every "try again later" the framework answers (database down, timed out or
 * asking for a retry, signing keys unavailable, shutting down): `app.onError(ServiceUnavailableError, ...)` sees them all.
 * @example throw new ServiceUnavailableError('Database connection failed: Service unavailable')
 */
export class ServiceUnavailableError extends HttpError {
  declare readonly code: ErrorCode;
  constructor(
    message = 'Service unavailable',
    options?: { cause?: unknown; headers?: Record<string, string>; expected?: boolean },
    code: ErrorCode = 'SERVICE_UNAVAILABLE',
  ) {
    super(503, message, code, options);
  }
}

/**
 * 503 `Service is shutting down` with `Retry-After: 1`: the app was closed (or its server drains);
 * a load balancer retries elsewhere. Part of every deploy, so logged at warn, without a stack.
 */
export class ShuttingDownError extends ServiceUnavailableError {
  constructor() {
    super('Service is shutting down', { headers: { 'retry-after': '1' }, expected: true }, 'SHUTTING_DOWN');
  }
}

/** Thrown by `createApp` when the environment is missing or has invalid variables; lists all of them. */
export class ConfigError extends Error {
  readonly problems: string[];
  /** A line after the list that explains it as a whole (why PRODUCTION rules apply). */
  readonly note: string | undefined;
  constructor(problems: string[], note?: string) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}${note === undefined ? '' : `\n${note}`}`);
    this.name = 'ConfigError';
    this.problems = problems;
    this.note = note;
  }
}
