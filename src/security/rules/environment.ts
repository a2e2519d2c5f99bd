import type { Environment } from '../../kernel/config/env.ts';
import type { Logger } from '../../kernel/logger.ts';

/**
 * What a rule sees: the verified token, the request, decoded path parameters, the query, the body
 * (parsed once and shared with `@Body`) and the deployment environment.
 */
export interface RuleEnvironment {
  scopes: readonly string[];
  claims: Readonly<Record<string, unknown>>;
  request: Request;
  /** Decoded path parameters (the same values handlers get). */
  params: Readonly<Record<string, string>>;
  /** Query arguments; a repeated key is an array. Prototype-less. */
  query: Readonly<Record<string, string | string[]>>;
  /** The parsed JSON body; the same promise `@Body` awaits, so the stream is read once. */
  body(): Promise<unknown>;
  /** `ENVIRONMENT` (PRODUCTION, DEVELOPMENT, ...). */
  environment: Environment;
  production: boolean;
  /** The request's logger (with its request id), for rules that explain a refusal. */
  logger?: Logger;
  /**
   * Scopes a `scopes_present` rule found missing. The framework logs them
   * (`JWT is missing required scopes: [...]`) only when the route's rule denies in the end, so a rule
   * like `or_(scopes_present('a'), scopes_present('b'))` that lets a request through logs nothing.
   */
  missingScopes?: string[];
}

/**
 * A route rule, same shape as the Python `protected_route` callables. Anything but `true` denies.
 * @example const ownRecord: Rule = (env) => env.params.patient_id === env.claims.patient_id;
 */
export type Rule = (env: RuleEnvironment) => boolean | Promise<boolean>;

/** Own property lookup: `constructor`, `__proto__` and friends never count as present. */
export function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * Names a rule for the log lines that report it (`"rule":"match_keys"`). Set explicitly because a
 * bundler renames a nested function that shares its factory's name (esbuild: `match_keys2`).
 */
export function named(name: string, rule: Rule): Rule {
  Object.defineProperty(rule, 'name', { value: name });
  return rule;
}
