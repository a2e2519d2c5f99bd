import * as v from 'valibot';
import { ConfigError } from '../http-errors.ts';
import { type SchemaResult, schemaRunner } from '../validate.ts';
import { testingCredentials } from './testing.ts';

/** Where configuration comes from: the process environment (Node, Bun), Deno's env, a Workers `env` binding. */
export type EnvSource = Record<string, unknown>;

/**
 * A group of environment variables, validated together, required only when a battery needs it
 * (as the Python `config.py` groups are). `schema` parses the raw string record.
 */
export interface ConfigGroup<T = unknown> {
  /** The member of `app.config` it fills (`jwt`, `apiKey`, `database`). */
  name: string;
  /** How error messages name the group, when not `name` (`ACCEPTED_API_KEY: is required (api key)`). */
  label?: string;
  schema: v.GenericSchema<Record<string, unknown>, T>;
}

export const NON_PRODUCTION = ['DEMO', 'DEVELOPMENT', 'STAGING', 'TRAINING', 'TEST'] as const;
export const ENVIRONMENTS = ['PRODUCTION', ...NON_PRODUCTION] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Why an ENVIRONMENT value is refused. The match is exact: Python's `is_production_environment`
 * compares case-sensitively, so `staging` there meant PRODUCTION; here it is refused at start
 * rather than read either way, and a case-only mismatch names the spelling to use.
 */
export function environmentProblem(value: string): string {
  const allowed = `must be exactly one of ${ENVIRONMENTS.join(', ')}`;
  const bare = value.trim();
  // Python read `DEVELOPMENT\n` as PRODUCTION; trimming it here would silently open non-production routes
  if (bare !== value && bare !== '') {
    const exact = ENVIRONMENTS.find((e) => e === bare);
    if (exact !== undefined) return `has surrounding whitespace: set ENVIRONMENT=${exact}, not ${JSON.stringify(value)} (${allowed})`;
    return `has surrounding whitespace (${JSON.stringify(value)}) and ${environmentProblem(bare)}`;
  }
  const meant = ENVIRONMENTS.find((e) => e === value.toUpperCase());
  return meant === undefined ? allowed : `is case-sensitive: set ENVIRONMENT=${meant}, not ${value} (${allowed})`;
}

/**
 * True unless ENVIRONMENT is exactly one of the non-production values (blank or unset is
 * PRODUCTION). Not trimmed: ` DEVELOPMENT` is PRODUCTION, as it was to the Python package.
 */
export function isProductionValue(value: string | undefined): boolean {
  return !(NON_PRODUCTION as readonly string[]).includes(value ?? '');
}

/** Only string-valued entries are configuration; Workers bindings (KV, D1, ...) are left out. */
export function stringEnv(source: EnvSource): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Blank counts as unset, as it does for most twelve-factor tooling. */
const trimmed = v.pipe(v.string(), v.trim());
export const optionalString = v.optional(
  v.pipe(
    trimmed,
    v.transform((s) => (s === '' ? undefined : s)),
  ),
);
export const requiredString = v.pipe(trimmed, v.nonEmpty('must not be empty'));

// The spellings pydantic (v1) reads as booleans, so a Python service's env keeps its meaning.
const TRUE_WORDS = ['true', '1', 'yes', 'y', 'on', 't'] as const;
const FALSE_WORDS = ['false', '0', 'no', 'n', 'off', 'f'] as const;

/** true/1/yes/y/on/t or false/0/no/n/off/f in any case; anything else is an error, never silently false. */
export function booleanVar(fallback: boolean) {
  return v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.picklist([...TRUE_WORDS, ...FALSE_WORDS, ''], 'must be true or false (or 1/0, yes/no, y/n, on/off, t/f)'),
      v.transform((s) => (s === '' ? fallback : (TRUE_WORDS as readonly string[]).includes(s))),
    ),
    String(fallback),
  );
}

export function integerVar(fallback: number, min = 0) {
  return v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
    ),
    String(fallback),
  );
}

/**
 * A comma- or space-separated list, or a JSON array of strings (`["a","b"]`, the form pydantic
 * reads list and set variables in). A value starting with `[` must be valid JSON: split on commas
 * it would keep `["a"` as an item.
 */
export function listVar(fallback: string[]) {
  return v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const s = dataset.value;
        if (!s.startsWith('[')) return s.split(/[\s,]+/).filter(Boolean);
        let parsed: unknown;
        try {
          parsed = JSON.parse(s);
        } catch {
          parsed = undefined;
        }
        if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed as string[];
        addIssue({ message: 'starts with [ but is not a JSON array of strings (use ["a","b"] or a,b)' });
        return NEVER;
      }),
    ),
    fallback.join(','),
  );
}

// A first run of one's own app usually has no ENVIRONMENT: the production rules it then meets
// (required DATABASE_URL, keys) look arbitrary unless the error says where they come from.
export const ENVIRONMENT_UNSET = 'ENVIRONMENT is not set, so PRODUCTION rules apply; set ENVIRONMENT=DEVELOPMENT for local work';

/** Parse every group against one env; one ConfigError lists every problem of every group. */
export function loadGroups(env: Record<string, string>, groups: ConfigGroup[]): Record<string, unknown> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const group of groups) {
    // an app's own group runs with its valibot's settings (kernel/validate.ts); a group is synchronous
    const outcome = schemaRunner(group.schema)(env);
    if (typeof (outcome as { then?: unknown }).then === 'function')
      throw new TypeError(`config group ${group.name}: its schema is async; the configuration is read synchronously`);
    const result = outcome as SchemaResult;
    if (result.issues === undefined) out[group.name] = result.value;
    else {
      for (const issue of result.issues) {
        const key = issue.path?.map((p) => String(p.key)).join('.');
        if (key === undefined) problems.push(issue.message);
        else problems.push(`${key}: ${env[key] === undefined ? 'is required' : issue.message} (${group.label ?? group.name})`);
      }
    }
  }
  if (problems.length > 0)
    throw new ConfigError([...new Set(problems)], (env.ENVIRONMENT ?? '').trim() === '' ? ENVIRONMENT_UNSET : undefined);
  return out;
}

/**
 * In testing mode outside production, fills ACCEPTED_API_KEY, HS_KEY and HS_ISSUER (the internal
 * issuer) when the env does not set them. A variable the env sets, even to a wrong value, is kept;
 * with ENVIRONMENT PRODUCTION, unset or invalid nothing is filled and the usual rules apply.
 * @example const env = withTestingCredentials(stringEnv(source), options.testing);
 */
export function withTestingCredentials(env: Record<string, string>, testing: boolean | undefined): Record<string, string> {
  if (testing !== true) return env;
  if (isProductionValue(env.ENVIRONMENT)) return env;
  const given = (name: string) => env[name] !== undefined;
  const made = testingCredentials();
  const filled: Record<string, string> = Object.assign(Object.create(null), env);
  if (!given('ACCEPTED_API_KEY')) filled.ACCEPTED_API_KEY = made.ACCEPTED_API_KEY;
  if (!given('HS_KEY')) filled.HS_KEY = made.HS_KEY;
  // PROXY_URL names the issuer too (its URL plus '/'): then the issuer is the env's
  if (!given('HS_ISSUER') && !given('PROXY_URL')) filled.HS_ISSUER = made.HS_ISSUER;
  return filled;
}
