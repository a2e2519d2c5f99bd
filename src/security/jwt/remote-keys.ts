import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../observability/logger.ts';
import { KeysUnavailableError } from '../errors.ts';

/** After a failed fetch, how long requests use the last good keys (or answer 503) without refetching. */
const FAILURE_BACKOFF_MS = 5000;

/** A fetch problem we classify as 503 (network, status, non-JSON body); jose's own errors are mapped below. */
class KeySetFetchError extends Error {}

/** jose's fetch hook: only a 200 with a JSON object body gets through, everything else is "unavailable". */
async function checkedFetch(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // jose turns a TimeoutError into JWKSTimeout; keep its name
    if ((error as { name?: string }).name === 'TimeoutError') throw error;
    throw new KeySetFetchError(`fetch failed: ${(error as Error).message}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new KeySetFetchError(`status ${response.status}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if ((error as { name?: string }).name === 'TimeoutError') throw error;
    throw new KeySetFetchError('body could not be read');
  }
  try {
    JSON.parse(text);
  } catch {
    throw new KeySetFetchError('body is not JSON');
  }
  return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof KeySetFetchError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  // ERR_JWKS_INVALID: the document fetched was not a usable key set; ERR_JOSE_GENERIC: jose's own fetch checks
  return (
    code === 'ERR_JWKS_TIMEOUT' ||
    code === 'ERR_JWKS_INVALID' ||
    (code === 'ERR_JOSE_GENERIC' && /^(Expected 200|Failed to parse)/.test((error as Error).message))
  );
}

/**
 * jose's `createRemoteJWKSet` (cache, cooldown, timeout, one refetch on an unknown `kid`) plus:
 * a fetch failure answers 503, and keys fetched before keep verifying while the endpoint is down.
 * @example remoteKeySet(new URL('https://issuer/.well-known/jwks.json'), { cacheSeconds: 600, cooldownSeconds: 30, timeoutMs: 5000, issuer: 'auth-provider', logger })
 */
export function remoteKeySet(
  url: URL,
  opts: { cacheSeconds: number; cooldownSeconds: number; timeoutMs: number; issuer: string; logger: Logger },
): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: opts.cacheSeconds * 1000,
    cooldownDuration: opts.cooldownSeconds * 1000,
    timeoutDuration: opts.timeoutMs,
    [customFetch]: checkedFetch,
  });
  let failedAt = Number.NEGATIVE_INFINITY;
  let stale: { jwks: JSONWebKeySet; get: JWTVerifyGetKey } | undefined;

  const fromStale: JWTVerifyGetKey = async (header, token) => {
    const jwks = remote.jwks();
    if (jwks === undefined) throw new KeysUnavailableError(`key set of ${opts.issuer} unavailable and never fetched`);
    if (stale?.jwks !== jwks) stale = { jwks, get: createLocalJWKSet(jwks) };
    try {
      return await stale.get(header, token);
    } catch (error) {
      // a kid the cached keys lack may be a rotated key we cannot fetch now: unavailable, not invalid
      if ((error as { code?: unknown } | null)?.code === 'ERR_JWKS_NO_MATCHING_KEY') {
        throw new KeysUnavailableError(`no cached key of ${opts.issuer} matches the token and the key set cannot be fetched`);
      }
      throw error;
    }
  };

  return async (header, token) => {
    if (Date.now() - failedAt < FAILURE_BACKOFF_MS) return fromStale(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      failedAt = Date.now();
      opts.logger.warn('JWKS fetch failed', {
        issuer: opts.issuer,
        url: url.origin + url.pathname,
        reason: String((error as Error).message),
      });
      return fromStale(header, token);
    }
  };
}
