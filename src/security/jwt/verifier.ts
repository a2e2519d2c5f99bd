import type { JWTPayload, JWTVerifyOptions } from 'jose';
import type { TokenData } from '../../kernel/context.ts';
import { InvalidCredentialsError, KeysUnavailableError } from '../errors.ts';
import { TokenCache } from './cache.ts';
import { toTokenData } from './claims.ts';
import type { Issuer } from './issuers.ts';
import { joseLoaded, loadJose } from './jose.ts';

/** Longer tokens are refused before any decoding or crypto. */
export const MAX_TOKEN_BYTES = 8192;

export interface Verified {
  data: TokenData;
  issuer: string;
}

export interface VerifierOptions {
  requireExp: boolean;
  /** LRU size; 0 disables the verified-token cache. */
  cacheSize: number;
  /** Longest time a verified token is trusted without re-verifying; 0 disables the cache. */
  cacheTtlSeconds: number;
  now?: () => number;
}

/**
 * Verifies bearer tokens against the issuer registry, with a verified-token cache.
 * Throws `InvalidCredentialsError` (403, reason for the log) or `KeysUnavailableError` (503).
 * @example const { data, issuer } = await verifier.verify(token);
 */
export class JwtVerifier {
  private readonly cache: TokenCache<Verified>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly issuers: Map<string, Issuer>,
    private readonly options: VerifierOptions,
  ) {
    const enabled = options.cacheSize > 0 && options.cacheTtlSeconds > 0;
    this.cache = new TokenCache(enabled ? options.cacheSize : 0);
    this.ttlMs = options.cacheTtlSeconds * 1000;
    this.now = options.now ?? Date.now;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  /** A still-valid earlier verification of exactly this token, synchronously (the hot path). */
  cached(token: string): Verified | undefined {
    return token.length > MAX_TOKEN_BYTES ? undefined : this.cache.get(token, this.now());
  }

  async verify(token: string): Promise<Verified> {
    if (token.length > MAX_TOKEN_BYTES) throw new InvalidCredentialsError(`token longer than ${MAX_TOKEN_BYTES} bytes`);
    const now = this.now();
    const cached = this.cache.get(token, now);
    if (cached !== undefined) return cached;
    // only a cache miss needs jose; after the first one it is loaded and this costs no extra await
    const { decodeJwt, decodeProtectedHeader, jwtVerify } = joseLoaded() ?? (await loadJose());

    let alg: unknown;
    let unverified: JWTPayload;
    try {
      if (token.split('.').length !== 3) throw new Error('not three segments');
      alg = decodeProtectedHeader(token).alg;
      unverified = decodeJwt(token);
    } catch {
      throw new InvalidCredentialsError('malformed token');
    }
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none') throw new InvalidCredentialsError('unsigned or missing alg');
    const iss = unverified.iss;
    const issuer = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (issuer === undefined) throw new InvalidCredentialsError('unknown issuer');
    if (!issuer.algorithms.includes(alg))
      throw new InvalidCredentialsError(`algorithm ${alg.slice(0, 32)} not allowed for issuer ${issuer.name}`);

    const verifyOptions: JWTVerifyOptions = {
      algorithms: issuer.algorithms,
      issuer: issuer.iss,
      clockTolerance: issuer.leewaySeconds,
      requiredClaims: this.options.requireExp ? ['exp'] : [],
      currentDate: new Date(now),
    };
    // an audience is enforced when the issuer requires one, and checked whenever the token carries one
    if (issuer.audience !== undefined && (issuer.requireAudience || unverified.aud !== undefined)) verifyOptions.audience = issuer.audience;
    else if (issuer.requireAudience) throw new InvalidCredentialsError(`issuer ${issuer.name} has no audience configured`);

    let payload: JWTPayload;
    try {
      // HMAC resolvers serve HS only, key sets asymmetric only; `algorithms` narrows both further
      payload = (await jwtVerify(token, issuer.key, verifyOptions)).payload;
    } catch (error) {
      if (error instanceof KeysUnavailableError) throw error;
      const code = (error as { code?: unknown }).code;
      throw new InvalidCredentialsError(`${typeof code === 'string' ? code : (error as Error)?.name}: ${(error as Error)?.message}`);
    }
    for (const claim of ['exp', 'nbf', 'iat'] as const) {
      const value = payload[claim];
      // jose accepts exp: 1e400 (JSON makes it Infinity): such a token would never expire
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new InvalidCredentialsError(`${claim} is not a finite number`);
      }
    }
    for (const claim of ['sub', 'jti'] as const) {
      // RFC 7519 makes both strings (python-jose refused others; jose does not check)
      if (payload[claim] !== undefined && typeof payload[claim] !== 'string') throw new InvalidCredentialsError(`${claim} is not a string`);
    }
    const data = toTokenData(payload, issuer.scopeKey, issuer.metadataKey);
    if (typeof data === 'string') throw new InvalidCredentialsError(data);
    // cached and shared by later requests: nobody may change it
    const verified: Verified = deepFreeze({ data, issuer: issuer.name });
    // trusted until the TTL ends, and never past exp (no leeway inside the cache)
    const until = payload.exp === undefined ? now + this.ttlMs : Math.min(now + this.ttlMs, payload.exp * 1000);
    if (until > now) this.cache.set(token, verified, until);
    return verified;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
