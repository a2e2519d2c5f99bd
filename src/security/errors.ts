import { AuthMissingError, PermissionDeniedError, ServiceUnavailableError } from '../kernel/http-errors.ts';

/** Every JWT failure says exactly this; the reason goes to the log only. */
export const INVALID_CREDENTIALS = 'Could not validate credentials';
export const NOT_AUTHENTICATED = 'Not authenticated';
export const NOT_ENOUGH_PERMISSIONS = 'Not enough permissions';
export const NO_API_KEY = 'No API key supplied';
export const INVALID_API_KEY = 'Invalid API key supplied';
/** A key-set endpoint that is down, slow or broken: never 500, never 200. */
export const KEYS_UNAVAILABLE = 'Could not fetch signing keys';

/** 403 `Could not validate credentials`; `reason` is for the log, never the caller. */
export class InvalidCredentialsError extends PermissionDeniedError {
  readonly reason: string;
  constructor(reason: string) {
    super(INVALID_CREDENTIALS, 'INVALID_CREDENTIALS');
    this.reason = reason;
  }
}

/**
 * 503 `KEYS_UNAVAILABLE`: the issuer's key set (or its OpenID discovery document) could not be
 * fetched or parsed and no cached key could help (logged at `error`), or the token names a key
 * the last fetch lacked and the next refetch is not yet allowed (`expected`: anyone can send such
 * a token, so it is logged at `warn` without a stack). `Retry-After` says when to try again.
 */
export class KeysUnavailableError extends ServiceUnavailableError {
  readonly reason: string;
  constructor(reason: string, retryAfterSeconds?: number, options?: { expected?: boolean }) {
    const headers = retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
    super(KEYS_UNAVAILABLE, { headers, expected: options?.expected }, 'KEYS_UNAVAILABLE');
    this.reason = reason;
  }
}

/** 401 with `WWW-Authenticate: Bearer` (RFC 6750) when no bearer token came. */
export function bearerMissing(): AuthMissingError {
  return new AuthMissingError(NOT_AUTHENTICATED, { headers: { 'www-authenticate': 'Bearer' } });
}
