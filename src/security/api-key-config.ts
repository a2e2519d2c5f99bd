import * as v from 'valibot';
import type { ConfigGroup } from '../kernel/config/env.ts';

export interface ApiKeyConfig {
  ACCEPTED_API_KEY: string;
}

/** Needed only when some route has `@ApiKey()`; an empty key never authenticates, so it is refused. */
export const apiKeyGroup: ConfigGroup<ApiKeyConfig> = {
  name: 'apiKey',
  label: 'api key',
  schema: v.object({
    // HTTP strips whitespace around header values: a blank key could never match (listed with the other problems)
    ACCEPTED_API_KEY: v.pipe(
      v.string(),
      v.nonEmpty('must not be empty'),
      v.check((s) => s.trim() !== '', 'must not be blank'),
    ),
  }),
};
