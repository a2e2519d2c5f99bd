import type { RequestContext } from '../kernel/context.ts';
import { AuthMissingError, PermissionDeniedError } from '../kernel/http-errors.ts';
import { INVALID_API_KEY, NO_API_KEY } from './errors.ts';

const encoder = new TextEncoder();

async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/**
 * Equal-length digests compared without an early exit: the time taken does not depend on where
 * the supplied key differs, nor on its length (both sides are hashed first).
 */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * The `@ApiKey()` check: `X-Api-Key` against `ACCEPTED_API_KEY`, in constant time on every runtime.
 * Missing or empty: 401 `No API key supplied`; anything else that is not the key: 403 `Invalid API key supplied`.
 * The key is never logged.
 * @example const step = apiKeyStep(config.ACCEPTED_API_KEY); await step(ctx);
 */
export function apiKeyStep(acceptedKey: string): (ctx: RequestContext) => Promise<void> {
  if (acceptedKey === '') throw new TypeError('ACCEPTED_API_KEY must not be empty');
  let expected: Promise<Uint8Array> | undefined;
  return async (ctx) => {
    const supplied = ctx.request.headers.get('x-api-key');
    if (supplied === null || supplied === '') throw new AuthMissingError(NO_API_KEY);
    expected ??= sha256(acceptedKey);
    const [want, got] = await Promise.all([expected, sha256(supplied)]);
    if (!digestsEqual(want, got)) throw new PermissionDeniedError(INVALID_API_KEY, 'INVALID_API_KEY');
  };
}
