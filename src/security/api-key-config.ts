import * as v from 'valibot';
import type { ConfigGroup } from '../kernel/config/env.ts';

export interface ApiKeyConfig {
  ACCEPTED_API_KEY: string;
}

// printable ASCII, inner spaces allowed: what a client can send in a header and have arrive unchanged
const SENDABLE = /^[\x20-\x7e]*$/;

/**
 * Why `key` could never match a key a client sends, or `undefined` when it can; the message never
 * quotes the key. HTTP strips whitespace around header values and clients send its bytes, so
 * surrounding whitespace (a secret file's trailing newline) or a non-ASCII character means every
 * request would get 403.
 * @example apiKeyProblem('k1\n'); // 'must not start or end with whitespace ...'
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key.trim() === '') return 'must not be blank';
  if (key !== key.trim())
    return 'must not start or end with whitespace (a trailing newline from a secret file?): HTTP strips it from the header, so no key sent could match';
  if (!SENDABLE.test(key))
    return 'must be visible ASCII characters (inner spaces allowed): clients send the header as bytes, so a key with other characters could never match';
  return undefined;
}

/** Needed only when some route has `@ApiKey()`; a key no client could send is refused (listed with the other problems). */
export const apiKeyGroup: ConfigGroup<ApiKeyConfig> = {
  name: 'apiKey',
  label: 'api key',
  schema: v.object({
    ACCEPTED_API_KEY: v.pipe(
      v.string(),
      // one message for an empty key too (`must not be blank`), not two
      v.check(
        (s) => apiKeyProblem(s) === undefined,
        (issue) => apiKeyProblem(String(issue.input)) ?? 'is invalid',
      ),
    ),
  }),
};
