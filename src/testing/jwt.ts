import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';

const encoder = new TextEncoder();

export interface InternalTokenOptions {
  /** `HS_KEY`. */
  key: string;
  /** `HS_ISSUER` (or `PROXY_URL` + '/'). */
  issuer: string;
  scopes?: string[] | string;
  sub?: string;
  /** Flattened into `TokenData.claims` (the internal issuer reads the `metadata` claim). */
  metadata?: Record<string, unknown>;
  /** Seconds until `exp` (default 3600); `null` leaves `exp` out. */
  expiresIn?: number | null;
  alg?: 'HS256' | 'HS384' | 'HS512';
  audience?: string | string[];
  /** Extra top-level claims. */
  claims?: JWTPayload;
}

/**
 * A token from the internal issuer (HS_KEY), as the proxy would mint it.
 * @example const token = await mintInternalToken({ key: 'secret', issuer: 'http://localhost/', scopes: ['read:patient'] });
 */
export async function mintInternalToken(options: InternalTokenOptions): Promise<string> {
  const payload: JWTPayload = { ...options.claims };
  if (options.scopes !== undefined) payload.scope = Array.isArray(options.scopes) ? options.scopes.join(' ') : options.scopes;
  if (options.metadata !== undefined) payload.metadata = options.metadata;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer)
    .setSubject(options.sub ?? 'user:1')
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600));
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(encoder.encode(options.key));
}

/** A generated signing key pair for a fake auth provider, with its public key set. */
export interface ProviderKeys {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Serve this (e.g. with `startJwksServer`) or put it in `AUTH_PROVIDER_JWKS_TESTING` as JSON. */
  jwks: JSONWebKeySet;
}

/**
 * A fresh RS256 / ES256 / ... key pair for minting provider tokens.
 * @example const keys = await createProviderKeys('ES256');
 */
export async function createProviderKeys(alg = 'RS256', kid = `test-${crypto.randomUUID()}`): Promise<ProviderKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk, jwks: { keys: [publicJwk] } };
}

export interface ProviderTokenOptions {
  /** `https://<AUTH_PROVIDER_DOMAIN>/`. */
  issuer: string;
  audience?: string | string[];
  /** Written to `scopeKey` (default `permissions`) as an array. */
  scopes?: string[];
  scopeKey?: string;
  sub?: string;
  /** Written under `metadataKey` (AUTH_PROVIDER_METADATA). */
  metadata?: Record<string, unknown>;
  metadataKey?: string;
  expiresIn?: number | null;
  /** Overrides the key id in the header. */
  kid?: string;
  claims?: JWTPayload;
}

/**
 * A token from the auth provider, signed with `keys` (verified through its JWKS).
 * @example const token = await mintProviderToken(keys, { issuer: 'https://login.example/', audience: 'api', scopes: ['read:patient'] });
 */
export async function mintProviderToken(keys: ProviderKeys, options: ProviderTokenOptions): Promise<string> {
  const payload: JWTPayload = { ...options.claims };
  if (options.scopes !== undefined) payload[options.scopeKey ?? 'permissions'] = options.scopes;
  if (options.metadata !== undefined && options.metadataKey !== undefined) payload[options.metadataKey] = options.metadata;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: keys.alg, kid: options.kid ?? keys.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setSubject(options.sub ?? 'auth0|user1')
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600));
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(keys.privateKey);
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Signs a header and payload given as raw JSON text with HMAC: for tokens no JWT library would
 * mint (`"exp": 1e400`, odd `alg` values, duplicate keys).
 * @example await signRawHs('{"alg":"HS256"}', '{"iss":"http://localhost/","exp":1e400}', 'secret')
 */
export async function signRawHs(
  headerJson: string,
  payloadJson: string,
  key: string,
  hash: 'SHA-256' | 'SHA-384' | 'SHA-512' = 'SHA-256',
): Promise<string> {
  const input = `${base64url(encoder.encode(headerJson))}.${base64url(encoder.encode(payloadJson))}`;
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(input)));
  return `${input}.${base64url(signature)}`;
}

/** base64url of a string, for hand-built tokens. @example encodeSegment('{"alg":"none"}') */
export function encodeSegment(text: string): string {
  return base64url(encoder.encode(text));
}
