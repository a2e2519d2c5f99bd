import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../kernel/logger.ts';
import { KeysUnavailableError } from '../errors.ts';
import {
  FAILURE_BACKOFF_MS,
  fetchKeyDocument,
  KeySetFetchError,
  type RemoteKeySetOptions,
  remoteKeySet,
  secondsUntil,
} from './remote-keys.ts';

/** `https://idp/realms/x` -> `https://idp/realms/x/.well-known/openid-configuration` (OpenID Connect Discovery 1.0, section 4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** An http(s) URL (what an issuer must be for discovery). */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A loopback host (127.0.0.0/8, ::1, localhost): the only place plain http cannot be tampered with on the way. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why a plain-http issuer is refused for discovery. */
export const PLAIN_HTTP_DISCOVERY =
  'OpenID discovery needs an https issuer (plain http only on loopback: 127.0.0.0/8, ::1, localhost), or set the key-set URL';

/** Why a key-set URL (given, or implied by AUTH_PROVIDER_DOMAIN) is refused. */
export const PLAIN_HTTP_KEY_SET = 'the key set must be fetched over https (plain http only on loopback: 127.0.0.0/8, ::1, localhost)';

/** A key set may be fetched from `url`: https, or plain http on a loopback host (on any host outside production). */
export function keySetUrlAllowed(url: URL, production: boolean): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && (isLoopback(url) || !production));
}

/** Plain http to a host other than loopback: allowed only outside production, with a warning. */
export function plainHttpOffLoopback(url: URL): boolean {
  return url.protocol === 'http:' && !isLoopback(url);
}

/** Logged once per issuer whose keys come over plain http off loopback (outside production). */
export function warnPlainHttp(logger: Logger, name: string, url: string): void {
  logger.warn(
    `JWT issuer ${name} gets its signing keys over plain http (${url}): anyone on the network can swap the keys ` +
      'and sign any token; ENVIRONMENT=PRODUCTION refuses this',
    { issuer: name, url },
  );
}

/**
 * The key set at a configured URL; a bad URL, or plain http off loopback in production, is added
 * to `problems` under `variable` (outside production plain http is warned about instead).
 */
export function jwksFromUrl(
  raw: string,
  variable: string,
  opts: { cacheSeconds: number; cooldownSeconds: number; timeoutMs: number },
  name: string,
  logger: Logger,
  problems: string[],
  production: boolean,
): JWTVerifyGetKey | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${variable}: must be a URL (jwt)`);
    return undefined;
  }
  // a key set fetched over plain http from elsewhere can be swapped on the way, and with it every key;
  // outside production that is a local setup (docker compose, a Keycloak at http://keycloak:8080)
  if (!keySetUrlAllowed(url, production)) {
    problems.push(`${variable}: ${PLAIN_HTTP_KEY_SET} (jwt)`);
    return undefined;
  }
  if (plainHttpOffLoopback(url)) warnPlainHttp(logger, name, url.href);
  return remoteKeySet(url, { ...opts, issuer: name, logger });
}

/** The issuer may be discovered: https, or plain http on a loopback host (a local test provider), or anywhere outside production. */
export function discoverable(issuer: string, production: boolean): boolean {
  return keySetUrlAllowed(new URL(issuer), production);
}

/**
 * Reads `jwks_uri` from the issuer's discovery document. The document must name exactly this
 * issuer (section 4.3: otherwise anyone serving a document could choose our keys). Plain http,
 * for the document and the key set, only on loopback (a local test provider) in production:
 * anywhere else a network attacker could substitute the keys.
 */
export async function discoverJwksUri(issuer: string, timeoutMs: number, production: boolean): Promise<URL> {
  if (!discoverable(issuer, production)) throw new KeySetFetchError(PLAIN_HTTP_DISCOVERY);
  let text: string;
  try {
    text = await fetchKeyDocument(discoveryUrl(issuer), {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof KeySetFetchError) throw error;
    throw new KeySetFetchError(`timed out after ${timeoutMs} ms`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new KeySetFetchError('body is not JSON');
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new KeySetFetchError('body is not a JSON object');
  const { issuer: named, jwks_uri: jwksUri } = document as { issuer?: unknown; jwks_uri?: unknown };
  if (named !== issuer) throw new KeySetFetchError(`the document names issuer ${JSON.stringify(named)}, not ${issuer}`);
  if (typeof jwksUri !== 'string') throw new KeySetFetchError('the document has no jwks_uri');
  let url: URL;
  try {
    url = new URL(jwksUri);
  } catch {
    throw new KeySetFetchError('jwks_uri is not a URL');
  }
  if (!keySetUrlAllowed(url, production)) {
    throw new KeySetFetchError('jwks_uri must use https (plain http only on loopback)');
  }
  return url;
}

/**
 * A key set found through OpenID discovery: `jwks_uri` is read from
 * `<issuer>/.well-known/openid-configuration` on the first token, kept for the life of the app,
 * then served by `remoteKeySet`. Until the document can be read, tokens get 503 with `Retry-After`
 * (one attempt per cooldown, 1 to 5 seconds; concurrent requests share it). Outside production a
 * plain-http issuer or `jwks_uri` off loopback is used, with a warning (the issuer's when this is
 * called, at start-up).
 * @example discoveredKeySet('https://idp.example/realms/acme', { cacheSeconds: 600, cooldownSeconds: 30, timeoutMs: 5000, issuer: 'auth-provider', logger }, true)
 */
export function discoveredKeySet(issuer: string, opts: RemoteKeySetOptions, production: boolean): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  let pending: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let lastReason = '';
  // one attempt per cooldown, between 1 and 5 seconds: the provider is asked again soon, never hammered
  const backoffMs = Math.min(FAILURE_BACKOFF_MS, Math.max(1000, opts.cooldownSeconds * 1000));
  const plainIssuer = plainHttpOffLoopback(new URL(issuer));
  if (plainIssuer) warnPlainHttp(opts.logger, opts.issuer, discoveryUrl(issuer));

  const discover = (): Promise<JWTVerifyGetKey> =>
    discoverJwksUri(issuer, opts.timeoutMs, production).then(
      (url) => {
        // a plain-http issuer was warned about at start; an https or loopback one pointing at plain http was not
        if (plainHttpOffLoopback(url) && !plainIssuer) warnPlainHttp(opts.logger, opts.issuer, url.href);
        keys = remoteKeySet(url, opts);
        return keys;
      },
      (error: unknown) => {
        failedAt = Date.now();
        lastReason = String((error as Error)?.message ?? error);
        opts.logger.warn('OpenID discovery failed', { issuer: opts.issuer, url: discoveryUrl(issuer), reason: lastReason });
        throw new KeysUnavailableError(`OpenID discovery for ${opts.issuer} failed: ${lastReason}`, secondsUntil(failedAt + backoffMs));
      },
    );

  return async (header, token) => {
    if (keys !== undefined) return keys(header, token);
    if (pending === undefined) {
      if (Date.now() - failedAt < backoffMs) {
        throw new KeysUnavailableError(
          `OpenID discovery for ${opts.issuer} failed recently: ${lastReason}`,
          secondsUntil(failedAt + backoffMs),
        );
      }
      pending = discover().finally(() => {
        pending = undefined;
      });
    }
    return (await pending)(header, token);
  };
}
