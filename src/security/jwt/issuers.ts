import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../../kernel/http-errors.ts';
import type { Logger } from '../../kernel/logger.ts';
import { ASYMMETRIC_ALGORITHMS, type JwtConfig, SYMMETRIC_ALGORITHMS } from './config.ts';
import { discoverable, discoveredKeySet, isHttpUrl, jwksFromUrl, PLAIN_HTTP_DISCOVERY } from './discovery.ts';
import { localKeySet } from './jose.ts';

/**
 * An issuer given in code: `createApp({ jwt: { issuers: [...] } })`. Exactly one key source:
 * `secret` (HS algorithms only), `jwksUrl`, `jwks` or `discovery: true` (asymmetric algorithms
 * only; discovery reads `jwks_uri` from `<issuer>/.well-known/openid-configuration`).
 * @example { name: 'partner', issuer: 'https://partner.example/', jwksUrl: 'https://partner.example/jwks.json', audience: 'api' }
 */
export interface IssuerOptions {
  /** Referenced by `@Secured(rule, { issuers: [name] })`; defaults to `issuer`. */
  name?: string;
  /** The exact `iss` value. */
  issuer: string;
  secret?: string | Uint8Array;
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  /** Find the key set through OpenID discovery of `issuer`. */
  discovery?: boolean;
  /** Expected `aud`. */
  audience?: string | string[];
  /** `true`: a token without the audience is refused; `false`: it is checked only when the token carries `aud`. Default `true` when `audience` is set. */
  requireAudience?: boolean;
  /** Narrows `VALID_JWT_ALGORITHMS` further. */
  algorithms?: string[];
  /** Claim holding the scopes (default `scope`). */
  scopeKey?: string;
  /** Claim holding an object flattened into `TokenData.claims`. */
  metadataKey?: string;
  leewaySeconds?: number;
  /** Key-set cache, cooldown before a refetch on an unknown `kid`, and fetch timeout. */
  jwksCacheSeconds?: number;
  jwksCooldownSeconds?: number;
  jwksTimeoutMs?: number;
}

/** Names of the issuers built from the environment. */
export const INTERNAL_ISSUER = 'internal';
export const AUTH_PROVIDER_ISSUER = 'auth-provider';
export const AUTH_PROVIDER_LOGIN_ISSUER = 'auth-provider-login';
export const ENV_ISSUER_NAMES = [INTERNAL_ISSUER, AUTH_PROVIDER_ISSUER, AUTH_PROVIDER_LOGIN_ISSUER];

/** One ready issuer: key, allow-list and claim rules resolved at start-up. */
export interface Issuer {
  name: string;
  iss: string;
  /** Resolves the verification key for a header (HMAC keys are imported once per algorithm). */
  key: JWTVerifyGetKey;
  algorithms: string[];
  audience: string | string[] | undefined;
  requireAudience: boolean;
  scopeKey: string;
  metadataKey: string | undefined;
  leewaySeconds: number;
}

/**
 * The `iss` an `AUTH_PROVIDER_DOMAIN` / `AUTH_PROVIDER_CUSTOM_DOMAIN` value stands for: a URL is used
 * verbatim (the Python package compared `iss` with the variable exactly), a bare domain becomes
 * Auth0's `https://<domain>/` (verbatim it could never equal a real token's `iss`).
 * @example issuerUrl('example.com') // 'https://example.com/'; issuerUrl('https://example.com') stays as is
 */
export function issuerUrl(domain: string): string {
  return /^https?:\/\//i.test(domain) ? domain : `https://${domain}/`;
}

/**
 * Builds the issuer registry: internal (HS_KEY), auth provider (key set), custom login domain
 * (AUTH_PROVIDER_HS_KEY), then the ones given in code (which replace env ones with the same `iss`).
 * A `Map`, so a token's `iss` can never reach an inherited property. `production` (ENVIRONMENT
 * PRODUCTION) refuses key sets and discovery over plain http off loopback; elsewhere they are warned about.
 */
export function buildIssuers(config: JwtConfig, fromCode: IssuerOptions[], logger: Logger, production: boolean): Map<string, Issuer> {
  const problems: string[] = [];
  const valid = config.VALID_JWT_ALGORITHMS;
  const symmetric = valid.filter((a) => (SYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  const asymmetric = valid.filter((a) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  const leeway = config.JWT_LEEWAY_SECONDS;
  const jwksDefaults = {
    cacheSeconds: config.JWKS_CACHE_EXPIRY_SECONDS,
    cooldownSeconds: config.JWKS_COOLDOWN_SECONDS,
    timeoutMs: config.JWKS_TIMEOUT_MS,
  };
  const out = new Map<string, Issuer>();
  // which variable set each environment issuer's `iss`: two of them with one `iss` is a mistake, not a replacement
  const fromEnv = new Map<string, string>();
  const add = (issuer: Issuer, variable?: string) => {
    if (issuer.algorithms.length === 0) {
      problems.push(`issuer ${issuer.name}: no algorithm of VALID_JWT_ALGORITHMS (${valid.join(', ')}) suits its key`);
    }
    const taken = fromEnv.get(issuer.iss);
    if (variable !== undefined && taken !== undefined) {
      problems.push(`${variable}: gives the issuer ${issuer.iss} that ${taken} already gives; each issuer needs its own iss (jwt)`);
      return;
    }
    if (variable !== undefined) fromEnv.set(issuer.iss, variable);
    // routes name issuers (`@Secured(rule, { issuers })`): one name for two issuers would let both in
    for (const other of out.values()) {
      if (other.name === issuer.name && other.iss !== issuer.iss) {
        problems.push(`issuer name ${issuer.name}: already the name of ${other.iss}; give ${issuer.iss} another (jwt)`);
        return;
      }
    }
    out.set(issuer.iss, issuer);
  };

  // the internal issuer, and the audience of custom login domain tokens (as in the Python package)
  const internalIss = config.HS_ISSUER ?? (config.PROXY_URL === undefined ? undefined : `${config.PROXY_URL.replace(/\/+$/, '')}/`);
  if (config.HS_KEY !== undefined) {
    const iss = internalIss;
    if (iss === undefined) problems.push('HS_ISSUER: is required with HS_KEY (or set PROXY_URL) (jwt)');
    else {
      const hsKey = hmacKeys(new TextEncoder().encode(config.HS_KEY));
      // the Python package checked the internal audience only when the token carried one
      add(
        {
          name: INTERNAL_ISSUER,
          iss,
          key: hsKey,
          algorithms: symmetric,
          audience: iss,
          requireAudience: false,
          scopeKey: 'scope',
          metadataKey: 'metadata',
          leewaySeconds: leeway,
        },
        config.HS_ISSUER === undefined ? 'PROXY_URL' : 'HS_ISSUER',
      );
    }
  }
  if (config.AUTH_PROVIDER_DOMAIN !== undefined && config.AUTH_PROVIDER_ISSUER !== undefined) {
    problems.push('AUTH_PROVIDER_ISSUER: set it or AUTH_PROVIDER_DOMAIN, not both (jwt)');
  } else if (config.AUTH_PROVIDER_DOMAIN !== undefined || config.AUTH_PROVIDER_ISSUER !== undefined) {
    const variable = config.AUTH_PROVIDER_ISSUER !== undefined ? 'AUTH_PROVIDER_ISSUER' : 'AUTH_PROVIDER_DOMAIN';
    if (config.AUTH_PROVIDER_AUDIENCE === undefined) problems.push(`AUTH_PROVIDER_AUDIENCE: is required with ${variable} (jwt)`);
    // AUTH_PROVIDER_ISSUER is the exact `iss` (Keycloak, Okta, Azure AD, Google: no trailing slash);
    // AUTH_PROVIDER_DOMAIN is Auth0's `https://<domain>/`
    const exact = config.AUTH_PROVIDER_ISSUER;
    const iss = exact ?? issuerUrl(config.AUTH_PROVIDER_DOMAIN as string);
    if (exact !== undefined && !isHttpUrl(exact))
      problems.push('AUTH_PROVIDER_ISSUER: must be an http(s) URL, exactly as the tokens carry it in iss (jwt)');
    let key: JWTVerifyGetKey | undefined;
    if (config.AUTH_PROVIDER_JWKS_TESTING !== undefined) {
      try {
        key = localKeySet(JSON.parse(config.AUTH_PROVIDER_JWKS_TESTING) as JSONWebKeySet);
      } catch {
        problems.push('AUTH_PROVIDER_JWKS_TESTING: must be a JSON Web Key Set (jwt)');
      }
    } else if (config.AUTH_PROVIDER_JWKS_URL === undefined && exact !== undefined) {
      if (isHttpUrl(exact) && !discoverable(exact, production)) problems.push(`AUTH_PROVIDER_ISSUER: ${PLAIN_HTTP_DISCOVERY} (jwt)`);
      else if (isHttpUrl(exact)) key = discoveredKeySet(exact, { ...jwksDefaults, issuer: AUTH_PROVIDER_ISSUER, logger }, production);
    } else {
      const url = config.AUTH_PROVIDER_JWKS_URL ?? `${iss.replace(/\/+$/, '')}/.well-known/jwks.json`;
      const source = config.AUTH_PROVIDER_JWKS_URL !== undefined ? 'AUTH_PROVIDER_JWKS_URL' : 'AUTH_PROVIDER_DOMAIN';
      key = jwksFromUrl(url, source, jwksDefaults, AUTH_PROVIDER_ISSUER, logger, problems, production);
    }
    if (key !== undefined) {
      add(
        {
          name: AUTH_PROVIDER_ISSUER,
          iss,
          key,
          algorithms: asymmetric,
          audience: config.AUTH_PROVIDER_AUDIENCE,
          requireAudience: true,
          scopeKey: config.AUTH_PROVIDER_SCOPE_KEY,
          metadataKey: config.AUTH_PROVIDER_METADATA,
          leewaySeconds: leeway,
        },
        variable,
      );
    }
  }
  if (config.AUTH_PROVIDER_CUSTOM_DOMAIN !== undefined) {
    if (config.AUTH_PROVIDER_HS_KEY === undefined)
      problems.push('AUTH_PROVIDER_HS_KEY: is required with AUTH_PROVIDER_CUSTOM_DOMAIN (jwt)');
    else if (internalIss === undefined)
      problems.push('HS_ISSUER: is required with AUTH_PROVIDER_CUSTOM_DOMAIN, as the audience of its tokens (or set PROXY_URL) (jwt)');
    else {
      // the login domain mints tokens for this platform: like internal tokens, audience HS_ISSUER
      // (checked when present), `scope` and `metadata`, whatever the AUTH_PROVIDER_* claim names are
      add(
        {
          name: AUTH_PROVIDER_LOGIN_ISSUER,
          iss: issuerUrl(config.AUTH_PROVIDER_CUSTOM_DOMAIN),
          key: hmacKeys(new TextEncoder().encode(config.AUTH_PROVIDER_HS_KEY)),
          algorithms: symmetric,
          audience: internalIss,
          requireAudience: false,
          scopeKey: 'scope',
          metadataKey: 'metadata',
          leewaySeconds: leeway,
        },
        'AUTH_PROVIDER_CUSTOM_DOMAIN',
      );
    }
  }
  for (const opts of fromCode) {
    const name = opts.name ?? opts.issuer;
    const sources = [opts.secret, opts.jwksUrl, opts.jwks, opts.discovery || undefined].filter((s) => s !== undefined).length;
    if (typeof opts.issuer !== 'string' || opts.issuer === '' || sources !== 1) {
      problems.push(`jwt.issuers[${name}]: needs an issuer and exactly one of secret, jwksUrl, jwks, discovery`);
      continue;
    }
    if (opts.discovery === true && !isHttpUrl(opts.issuer)) {
      problems.push(`jwt.issuers[${name}]: discovery needs an issuer that is an http(s) URL`);
      continue;
    }
    if (opts.discovery === true && !discoverable(opts.issuer, production)) {
      problems.push(`jwt.issuers[${name}]: ${PLAIN_HTTP_DISCOVERY}`);
      continue;
    }
    const narrow = (list: string[]) => (opts.algorithms ? list.filter((a) => opts.algorithms?.includes(a)) : list);
    let key: JWTVerifyGetKey | undefined;
    let algorithms: string[];
    if (opts.secret !== undefined) {
      // a copy: the key is imported on the first token, and a caller may zero its buffer before that
      const secret = typeof opts.secret === 'string' ? new TextEncoder().encode(opts.secret) : opts.secret.slice();
      if (secret.length === 0) problems.push(`jwt.issuers[${name}]: secret must not be empty`);
      key = hmacKeys(secret);
      algorithms = narrow(symmetric);
    } else {
      algorithms = narrow(asymmetric);
      const d = {
        cacheSeconds: opts.jwksCacheSeconds ?? jwksDefaults.cacheSeconds,
        cooldownSeconds: opts.jwksCooldownSeconds ?? jwksDefaults.cooldownSeconds,
        timeoutMs: opts.jwksTimeoutMs ?? jwksDefaults.timeoutMs,
      };
      if (opts.discovery === true) {
        key = discoveredKeySet(opts.issuer, { ...d, issuer: name, logger }, production);
      } else if (opts.jwks !== undefined) {
        try {
          key = localKeySet(opts.jwks);
        } catch {
          problems.push(`jwt.issuers[${name}]: jwks is not a JSON Web Key Set`);
        }
      } else {
        key = jwksFromUrl(opts.jwksUrl as string, `jwt.issuers[${name}].jwksUrl`, d, name, logger, problems, production);
      }
    }
    if (opts.requireAudience === true && opts.audience === undefined) {
      problems.push(`jwt.issuers[${name}]: requireAudience needs an audience (every token would be refused)`);
    }
    const own = opts.leewaySeconds;
    if (own !== undefined && !(Number.isFinite(own) && own >= 0)) {
      problems.push(`jwt.issuers[${name}]: leewaySeconds must be a number of seconds, 0 or more`);
    }
    if (opts.algorithms !== undefined && algorithms.length === 0) {
      problems.push(`jwt.issuers[${name}]: none of its algorithms is allowed for this key (VALID_JWT_ALGORITHMS, symmetric or asymmetric)`);
    }
    if (key === undefined) continue;
    add({
      name,
      iss: opts.issuer,
      key,
      algorithms,
      audience: opts.audience,
      requireAudience: opts.requireAudience ?? opts.audience !== undefined,
      scopeKey: opts.scopeKey ?? 'scope',
      metadataKey: opts.metadataKey,
      leewaySeconds: opts.leewaySeconds ?? leeway,
    });
  }
  if (problems.length === 0 && out.size === 0) {
    problems.push(
      'a route needs a bearer JWT but no issuer is configured: set HS_KEY with PROXY_URL (or HS_ISSUER), ' +
        'or AUTH_PROVIDER_DOMAIN with AUTH_PROVIDER_AUDIENCE (and AUTH_PROVIDER_JWKS_URL or AUTH_PROVIDER_JWKS_TESTING), ' +
        'or AUTH_PROVIDER_ISSUER with AUTH_PROVIDER_AUDIENCE (keys found by OpenID discovery unless AUTH_PROVIDER_JWKS_URL is set), ' +
        'or AUTH_PROVIDER_CUSTOM_DOMAIN with AUTH_PROVIDER_HS_KEY, or pass createApp({ jwt: { issuers } })',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

const HMAC_HASH: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/**
 * A shared secret as a key resolver: imported as a non-extractable HMAC CryptoKey once per
 * algorithm (jose would import raw bytes on every verification), and never for a non-HS algorithm.
 */
export function hmacKeys(secret: Uint8Array): JWTVerifyGetKey {
  const keys = new Map<string, Promise<CryptoKey>>();
  return (header) => {
    const alg = header.alg ?? '';
    const hash = Object.hasOwn(HMAC_HASH, alg) ? HMAC_HASH[alg] : undefined;
    if (hash === undefined) throw new TypeError(`a shared secret cannot verify ${alg}`);
    let key = keys.get(alg);
    if (key === undefined) {
      key = crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash }, false, ['verify']);
      keys.set(alg, key);
    }
    return key;
  };
}
