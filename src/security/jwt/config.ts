import * as v from 'valibot';
import { booleanVar, type ConfigGroup, integerVar, listVar, optionalString } from '../../kernel/config/env.ts';

/** Every algorithm jose verifies; `VALID_JWT_ALGORITHMS` narrows it, `none` is never among them. */
export const SYMMETRIC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
const KNOWN = new Set<string>([...SYMMETRIC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS]);

export interface JwtConfig {
  HS_KEY?: string;
  HS_ISSUER?: string;
  PROXY_URL?: string;
  AUTH_PROVIDER_DOMAIN?: string;
  AUTH_PROVIDER_ISSUER?: string;
  AUTH_PROVIDER_AUDIENCE?: string;
  AUTH_PROVIDER_JWKS_URL?: string;
  AUTH_PROVIDER_JWKS_TESTING?: string;
  AUTH_PROVIDER_METADATA?: string;
  AUTH_PROVIDER_SCOPE_KEY: string;
  AUTH_PROVIDER_CUSTOM_DOMAIN?: string;
  AUTH_PROVIDER_HS_KEY?: string;
  VALID_JWT_ALGORITHMS: string[];
  JWT_LEEWAY_SECONDS: number;
  JWT_REQUIRE_EXP: boolean;
  JWKS_CACHE_EXPIRY_SECONDS: number;
  JWKS_COOLDOWN_SECONDS: number;
  JWKS_TIMEOUT_MS: number;
  JWT_CACHE_SIZE: number;
  JWT_CACHE_TTL_SECONDS: number;
  VALID_USER_ID_KEYS: string[];
}

/** The entries of the JWT group's schema (the security battery adds ENVIRONMENT to check issuers). */
export const jwtEntries = {
  HS_KEY: optionalString,
  HS_ISSUER: optionalString,
  PROXY_URL: optionalString,
  AUTH_PROVIDER_DOMAIN: optionalString,
  AUTH_PROVIDER_ISSUER: optionalString,
  AUTH_PROVIDER_AUDIENCE: optionalString,
  AUTH_PROVIDER_JWKS_URL: optionalString,
  AUTH_PROVIDER_JWKS_TESTING: optionalString,
  AUTH_PROVIDER_METADATA: optionalString,
  AUTH_PROVIDER_SCOPE_KEY: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty')), 'permissions'),
  AUTH_PROVIDER_CUSTOM_DOMAIN: optionalString,
  AUTH_PROVIDER_HS_KEY: optionalString,
  VALID_JWT_ALGORITHMS: v.pipe(
    // the Python package's default list
    listVar(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']),
    v.check((list) => list.length > 0, 'must list at least one algorithm'),
    v.check((list) => list.every((a) => KNOWN.has(a)), `must only contain ${[...KNOWN].join(', ')}`),
  ),
  JWT_LEEWAY_SECONDS: integerVar(0),
  JWT_REQUIRE_EXP: booleanVar(true),
  JWKS_CACHE_EXPIRY_SECONDS: integerVar(600),
  JWKS_COOLDOWN_SECONDS: integerVar(5),
  JWKS_TIMEOUT_MS: integerVar(5000, 1),
  JWT_CACHE_SIZE: integerVar(1000),
  JWT_CACHE_TTL_SECONDS: integerVar(300),
  VALID_USER_ID_KEYS: v.pipe(
    listVar(['sub']),
    v.check((list) => list.length > 0, 'must list at least one claim'),
  ),
};

/**
 * The JWT variables, required only when some route verifies a bearer token.
 * Which issuers exist is decided in `issuers.ts`, so one ConfigError can name what is missing.
 */
export const jwtGroup: ConfigGroup<JwtConfig> = {
  name: 'jwt',
  schema: v.object(jwtEntries),
};
