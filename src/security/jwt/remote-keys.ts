import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import type { createRemoteJWKSet } from 'jose/jwks/remote';
import type { Logger } from '../../kernel/logger.ts';
import { KeysUnavailableError } from '../errors.ts';
import { joseLoaded, loadJose } from './jose.ts';

/** After a failed fetch, how long requests use the last good keys (or answer 503) without refetching. */
export const FAILURE_BACKOFF_MS = 5000;
/**
 * An unknown `kid` refetches the key set at most once per this interval per issuer (less when
 * `JWKS_COOLDOWN_SECONDS` is lower): a rotated key is picked up within seconds, and random kids
 * cost at most one fetch per interval.
 */
export const UNKNOWN_KID_REFETCH_MS = 5000;
/** A key set or discovery document larger than this is refused (real ones are a few KiB). */
export const MAX_KEY_DOCUMENT_BYTES = 256 * 1024;

/** A fetch problem we classify as 503 (network, status, size, non-JSON body); jose's own errors are mapped below. */
export class KeySetFetchError extends Error {}

/** Seconds until `untilMs`, rounded up, at least 1: a `Retry-After` value. */
export function secondsUntil(untilMs: number): number {
  return Math.max(1, Math.ceil((untilMs - Date.now()) / 1000));
}

/** The body as text, refused past `max` bytes without reading the rest. */
export async function boundedText(response: Response, max = MAX_KEY_DOCUMENT_BYTES): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new KeySetFetchError(`body over ${max} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new KeySetFetchError(`body over ${max} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

const isTimeout = (error: unknown) => (error as { name?: string } | null)?.name === 'TimeoutError';

/**
 * A key document's text (a key set, a discovery document): a 200 with a body of at most
 * `MAX_KEY_DOCUMENT_BYTES`, else a `KeySetFetchError`. A timeout is rethrown as it is, for the
 * caller to name.
 */
export async function fetchKeyDocument(url: string | URL, init: RequestInit): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (isTimeout(error)) throw error;
    throw new KeySetFetchError(`fetch failed: ${(error as Error).message}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new KeySetFetchError(`status ${response.status}`);
  }
  try {
    return await boundedText(response);
  } catch (error) {
    if (isTimeout(error) || error instanceof KeySetFetchError) throw error;
    throw new KeySetFetchError('body could not be read');
  }
}

/** jose's fetch hook: only a 200 with a bounded JSON body gets through, everything else is "unavailable". */
function checkedFetch(onFetched: () => void) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    // jose turns a TimeoutError into JWKSTimeout: fetchKeyDocument keeps its name
    const text = await fetchKeyDocument(url, init);
    try {
      JSON.parse(text);
    } catch {
      throw new KeySetFetchError('body is not JSON');
    }
    onFetched();
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
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

const noMatchingKey = (error: unknown) => (error as { code?: unknown } | null)?.code === 'ERR_JWKS_NO_MATCHING_KEY';

export interface RemoteKeySetOptions {
  cacheSeconds: number;
  cooldownSeconds: number;
  timeoutMs: number;
  issuer: string;
  logger: Logger;
}

/**
 * jose's `createRemoteJWKSet` (cache, timeout, shared in-flight fetch, a refetch on an unknown
 * `kid` at most once per `min(cooldown, 5 s)`) plus:
 * - a fetch failure answers 503, and keys fetched before keep verifying while the endpoint is down;
 * - a `kid` the keys lack while no refetch is allowed answers 503 with `Retry-After` (seconds until
 *   the next allowed refetch, at most 5), not 403: the provider may have published that key after
 *   our last fetch, and clients retry a 503 but not a 403. That 503 is `expected` (logged as a
 *   warning): anyone can send a random `kid`. A 403 comes only from a key set fetched for this very
 *   request, so a freshly rotated key is never refused for good.
 * @example remoteKeySet(new URL('https://issuer/.well-known/jwks.json'), { cacheSeconds: 600, cooldownSeconds: 30, timeoutMs: 5000, issuer: 'auth-provider', logger })
 */
export function remoteKeySet(url: URL, opts: RemoteKeySetOptions): JWTVerifyGetKey {
  const cooldownMs = Math.min(opts.cooldownSeconds * 1000, UNKNOWN_KID_REFETCH_MS);
  let fetchedAt = Number.NEGATIVE_INFINITY;
  // built on the first token (jose is imported on first use); fromStale runs only after it was called
  let remote: ReturnType<typeof createRemoteJWKSet> | undefined;
  const remoteSet = async () => {
    if (remote !== undefined) return remote;
    const { createRemoteJWKSet, customFetch } = joseLoaded() ?? (await loadJose());
    remote ??= createRemoteJWKSet(url, {
      cacheMaxAge: opts.cacheSeconds * 1000,
      cooldownDuration: cooldownMs,
      timeoutDuration: opts.timeoutMs,
      [customFetch]: checkedFetch(() => {
        fetchedAt = Date.now();
      }),
    });
    return remote;
  };
  let failedAt = Number.NEGATIVE_INFINITY;
  let stale: { jwks: JSONWebKeySet; get: JWTVerifyGetKey } | undefined;

  const fromStale: JWTVerifyGetKey = async (header, token) => {
    const retryAfter = secondsUntil(failedAt + FAILURE_BACKOFF_MS);
    const jwks = remote?.jwks();
    if (jwks === undefined) throw new KeysUnavailableError(`key set of ${opts.issuer} unavailable and never fetched`, retryAfter);
    if (stale?.jwks !== jwks) stale = { jwks, get: (joseLoaded() ?? (await loadJose())).createLocalJWKSet(jwks) };
    try {
      return await stale.get(header, token);
    } catch (error) {
      // a kid the cached keys lack may be a rotated key we cannot fetch now: unavailable, not invalid
      if (noMatchingKey(error)) {
        throw new KeysUnavailableError(`no cached key of ${opts.issuer} matches the token and the key set cannot be fetched`, retryAfter);
      }
      throw error;
    }
  };

  return async (header, token) => {
    if (Date.now() - failedAt < FAILURE_BACKOFF_MS) return fromStale(header, token);
    const before = fetchedAt;
    const keys = await remoteSet();
    try {
      return await keys(header, token);
    } catch (error) {
      // jose refetches on an unknown kid only when the last fetch is older than cooldownMs; a
      // key set fetched during this request is authoritative (403), an older one is not (503)
      if (noMatchingKey(error) && fetchedAt === before && keys.coolingDown) {
        const kid = typeof header.kid === 'string' ? header.kid.slice(0, 64) : '(none)';
        throw new KeysUnavailableError(
          `no key of ${opts.issuer} matches kid ${kid}; the key set may be refetched in ${secondsUntil(fetchedAt + cooldownMs)} s`,
          secondsUntil(fetchedAt + cooldownMs),
          { expected: true },
        );
      }
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
