import type { Rule } from './environment.ts';

// The path parameters without which a rule can never hold: `match_keys({ patient_id: ... })` on a
// route with no `:patient_id` answers 403 to everyone, so createApp refuses it, as it refuses a
// `Param` the path lacks. Kept beside the rule functions, not on them: a rule is a plain function.
const REQUIRED = new WeakMap<Rule, readonly (readonly [rule: string, param: string])[]>();

/** Records that `rule` (named `name`) is false whenever one of `params` is missing from the path. */
export function requiresPathParams<R extends Rule>(rule: R, name: string, params: readonly string[]): R {
  if (params.length > 0)
    REQUIRED.set(
      rule,
      params.map((param) => [name, param] as const),
    );
  return rule;
}

/** What every rule of `and_` needs; what every branch of `or_` needs (one branch without it may still hold). */
export function combinedPathParams<R extends Rule>(rule: R, parts: readonly Rule[], every: boolean): R {
  const lists = parts.map((part) => REQUIRED.get(part) ?? []);
  const needed = every ? lists.flat() : (lists[0] ?? []).filter(([, param]) => lists.every((list) => list.some(([, p]) => p === param)));
  if (needed.length > 0) REQUIRED.set(rule, needed);
  return rule;
}

/** `[rule name, path parameter]` pairs the rule cannot hold without (`not_` and custom rules: none). */
export function requiredPathParams(rule: Rule): readonly (readonly [string, string])[] {
  return REQUIRED.get(rule) ?? [];
}
