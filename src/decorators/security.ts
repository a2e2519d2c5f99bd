import type { RuleFn } from '../kernel/definitions.ts';
import { type ClassOrMethodDecorator, routeOption } from './options.ts';
import { usedWithoutCall } from './standard.ts';

const NOTHING = undefined as unknown as ClassOrMethodDecorator;

/**
 * Requires `X-Api-Key` to equal `ACCEPTED_API_KEY` (constant-time): 401 when missing, 403 when wrong.
 * @example @Post('/') @ApiKey() create() {}
 */
export function ApiKey(...bare: []): ClassOrMethodDecorator {
  if (usedWithoutCall('ApiKey', bare)) return NOTHING;
  return routeOption('ApiKey', { apiKey: true });
}

/**
 * Requires a valid bearer JWT carrying every listed scope; 403 `Not enough permissions` otherwise.
 * @example @Get('/') @Scopes('read:patient') list() {}
 */
export function Scopes(...scopes: string[]): ClassOrMethodDecorator {
  if (usedWithoutCall('Scopes', scopes)) return NOTHING;
  // a token's `scope` claim is space-separated (RFC 6749 scope tokens have no spaces): 'a b' could never match
  const spaced = scopes.find((s) => typeof s === 'string' && /\s/.test(s));
  if (spaced !== undefined) {
    throw new TypeError(
      `@Scopes('${spaced}'): a scope has no whitespace; list each scope on its own: @Scopes(${spaced
        .split(/\s+/)
        .filter(Boolean)
        .map((s) => `'${s}'`)
        .join(', ')})`,
    );
  }
  return routeOption('Scopes', { scopes });
}

/**
 * Requires a valid bearer JWT, then that `rule` holds (403 `Forbidden` otherwise).
 * @example @Secured(or_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' })))
 */
export function Secured(
  rule?: (env: never) => boolean | Promise<boolean>,
  options?: { issuers?: string[] },
  ...bare: []
): ClassOrMethodDecorator {
  if (usedWithoutCall('Secured', [rule, options, ...bare])) return NOTHING;
  return routeOption('Secured', { secured: { rule: rule as RuleFn | undefined, issuers: options?.issuers } });
}
