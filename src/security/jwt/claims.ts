import type { JWTPayload } from 'jose';
import type { TokenData } from '../../kernel/context.ts';

/**
 * Turns a verified payload into `TokenData` as the Python parsers did: the metadata object is
 * flattened into `claims`, plus `iss` and `sub` when the token has them, and `raw` (the whole
 * payload, always); `locations` becomes `location_ids` (and is itself left out, as in Python).
 * Returns a string (the reason) when the scopes claim is neither a string nor a string array.
 * @example toTokenData(payload, 'scope', 'metadata')
 */
export function toTokenData(payload: JWTPayload, scopeKey: string, metadataKey: string | undefined): TokenData | string {
  const rawScopes = Object.hasOwn(payload, scopeKey) ? payload[scopeKey] : undefined;
  let scopes: string[];
  // absent is no scopes; anything else that is not a string or string list (null included) is refused
  if (rawScopes === undefined) scopes = [];
  else if (typeof rawScopes === 'string') scopes = rawScopes.split(/\s+/).filter(Boolean);
  else if (Array.isArray(rawScopes) && rawScopes.every((s) => typeof s === 'string')) scopes = [...rawScopes];
  else return `scope claim ${scopeKey} is neither a string nor a list of strings`;

  const meta = metadataKey !== undefined && Object.hasOwn(payload, metadataKey) ? payload[metadataKey] : undefined;
  // spread defines own data properties, so a `__proto__` key in the token stays an ordinary key
  const claims: Record<string, unknown> = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? { ...meta } : {};
  if (Object.hasOwn(claims, 'locations')) {
    const locations = claims.locations;
    // Python put location_ids in its place and never copied `locations` itself into the claims
    delete claims.locations;
    if (Array.isArray(locations)) {
      claims.location_ids = locations.flatMap((loc: unknown) => {
        if (typeof loc === 'string') return [loc];
        const id = loc !== null && typeof loc === 'object' && Object.hasOwn(loc, 'id') ? (loc as { id: unknown }).id : undefined;
        return typeof id === 'string' ? [id] : [];
      });
    }
  }
  // only when the token has them (as Python did), so key_present('sub') means the token has a sub
  if (Object.hasOwn(payload, 'iss')) claims.iss = payload.iss;
  if (Object.hasOwn(payload, 'sub')) claims.sub = payload.sub;
  claims.raw = payload;
  return { scopes, claims };
}
