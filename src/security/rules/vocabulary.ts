import { named, own, type Rule, type RuleEnvironment } from './environment.ts';
import { requiresPathParams } from './path-fields.ts';

/** The line `@Scopes` and `scopes_present` log when a token lacks scopes, the Python package's: `JWT is missing required scopes: ['a', 'b']`. */
export function missingScopesMessage(missing: readonly string[]): string {
  return `JWT is missing required scopes: [${missing.map((s) => `'${s}'`).join(', ')}]`;
}

/**
 * Every listed scope is in the token (a string is one scope, as in Python `required_scopes="a:b"`).
 * No scope at all is refused when the route is defined: it would let every token through.
 * @example scopes_present('read:patient', 'write:patient')
 */
export function scopes_present(...required: (string | string[])[]): Rule {
  const wanted = required.flat();
  if (wanted.length === 0) throw new TypeError('scopes_present() needs at least one scope (it would let every token through)');
  if (wanted.some((s) => typeof s !== 'string' || s === '')) throw new TypeError('scopes_present() takes non-empty strings');
  // a token's `scope` claim is space-separated (RFC 6749 scope tokens have no spaces): 'a b' could never match
  const spaced = wanted.find((s) => /\s/.test(s));
  if (spaced !== undefined) {
    throw new TypeError(
      `scopes_present('${spaced}'): a scope has no whitespace; list each scope on its own: scopes_present(${spaced
        .split(/\s+/)
        .filter(Boolean)
        .map((s) => `'${s}'`)
        .join(', ')})`,
    );
  }
  return named('scopes_present', (env: RuleEnvironment) => {
    let held = true;
    for (const scope of wanted) {
      if (env.scopes.includes(scope)) continue;
      held = false;
      // recorded, not logged: whether the request is refused depends on the rules around this one
      if (env.missingScopes !== undefined && !env.missingScopes.includes(scope)) env.missingScopes.push(scope);
    }
    return held;
  });
}

/** The token has the claim (a claim set to `undefined` by code counts as absent). @example key_present('patient_id') */
export function key_present(key: string): Rule {
  return named('key_present', (env: RuleEnvironment) => {
    return Object.hasOwn(env.claims, key) && env.claims[key] !== undefined;
  });
}

/** The claim equals `value` (strictly). @example key_contains_value('system_id', 'dhos-robot') */
export function key_contains_value(key: string, value: unknown): Rule {
  return named('key_contains_value', (env: RuleEnvironment) => {
    return Object.hasOwn(env.claims, key) && env.claims[key] === value;
  });
}

/** The claim equals one of `values` (strictly). @example key_contains_value_in_list('system_id', ['a', 'b']) */
export function key_contains_value_in_list(key: string, values: readonly unknown[]): Rule {
  return named('key_contains_value_in_list', (env: RuleEnvironment) => {
    return Object.hasOwn(env.claims, key) && values.includes(env.claims[key]);
  });
}

function pairsOf(mapping: Record<string, string>): [string, string][] {
  if (mapping === null || typeof mapping !== 'object') throw new TypeError('expected an object of { field: claim } pairs');
  return Object.entries(mapping);
}

/**
 * Each path parameter equals the claim named for it (Python `match_keys(patient_id="patient_id")`),
 * or, when the claim is a list (a clinician's `location_ids`), is one of its items.
 * No pairs: true. A parameter or claim that is missing, or a claim that is an object: false.
 * @example match_keys({ location_id: 'location_ids' })
 */
export function match_keys(mapping: Record<string, string> = {}): Rule {
  const pairs = pairsOf(mapping);
  const rule = named('match_keys', (env: RuleEnvironment) => {
    // loops, not callbacks: a rule runs on every request
    for (const [param, claim] of pairs) {
      const value = own(env.params, param);
      if (value === undefined || !Object.hasOwn(env.claims, claim)) return false;
      const held = env.claims[claim];
      if (!(Array.isArray(held) ? held.includes(value) : held === value)) return false;
    }
    return true;
  });
  return requiresPathParams(
    rule,
    'match_keys',
    pairs.map(([param]) => param),
  );
}

/**
 * Like `match_keys`, but a field may come from the path or, failing that, the query string
 * (a repeated query argument never matches).
 * @example compare_keys({ location_id: 'location_id' })
 */
export function compare_keys(mapping: Record<string, string>): Rule {
  const pairs = pairsOf(mapping);
  if (pairs.length === 0) throw new TypeError('compare_keys() needs at least one { field: claim } pair');
  return named('compare_keys', (env: RuleEnvironment) => {
    for (const [field, claim] of pairs) {
      const value = own(env.params, field) ?? own(env.query, field);
      if (!(typeof value === 'string' && Object.hasOwn(env.claims, claim) && env.claims[claim] === value)) return false;
    }
    return true;
  });
}

/** True outside production. @example or_(scopes_present('admin'), non_production_only_route()) */
export function non_production_only_route(): Rule {
  return named('non_production_only_route', (env: RuleEnvironment) => {
    return !env.production;
  });
}

/** True in production only. @example production_only_route() */
export function production_only_route(): Rule {
  return named('production_only_route', (env: RuleEnvironment) => {
    return env.production;
  });
}

/**
 * The query argument is present and, when `value` is given, equals it ignoring case, as the
 * Python package compared (`?compact=TRUE` satisfies `argument_present('compact', 'true')`).
 * A repeated argument is compared by its last value, the one Starlette's `query_params.get` gave;
 * a missing one reads as `''`, as there (so `argument_present('a', '')` holds without `a`).
 * @example argument_present('format', 'short')
 */
export function argument_present(name: string, value?: string): Rule {
  const wanted = value?.toUpperCase();
  return named('argument_present', (env: RuleEnvironment) => {
    const got = own(env.query, name) as string | string[] | undefined;
    // Python read a missing argument as "": argument_present('a', '') holds without `a`
    if (got === undefined) return wanted === '';
    if (wanted === undefined) return true;
    const last: unknown = Array.isArray(got) ? got[got.length - 1] : got;
    return typeof last === 'string' && last.toUpperCase() === wanted;
  });
}

/** The query argument is absent. @example argument_not_present('include_deleted') */
export function argument_not_present(name: string): Rule {
  return named('argument_not_present', (env: RuleEnvironment) => {
    return !Object.hasOwn(env.query, name);
  });
}

/**
 * The decoded path parameter equals the claim; both must be present and not null.
 * @example field_in_path_matches_jwt_claim('patient_uuid', 'patient_id')
 */
export function field_in_path_matches_jwt_claim(pathField: string, claimField: string): Rule {
  const rule = named('field_in_path_matches_jwt_claim', (env: RuleEnvironment) => {
    const value = own(env.params, pathField);
    const claim = own(env.claims, claimField);
    return value !== undefined && value !== null && claim !== undefined && claim !== null && value === claim;
  });
  return requiresPathParams(rule, 'field_in_path_matches_jwt_claim', [pathField]);
}

/**
 * A top-level field of the JSON body equals the claim; both present and not null. The body is the
 * one `@Body` gets. A body that is not a JSON object: false.
 * @example field_in_body_matches_jwt_claim('patient_uuid', 'patient_id')
 */
export function field_in_body_matches_jwt_claim(bodyField: string, claimField: string): Rule {
  return named('field_in_body_matches_jwt_claim', async (env: RuleEnvironment) => {
    const body = await env.body();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
    const value = own(body, bodyField);
    const claim = own(env.claims, claimField);
    return value !== undefined && value !== null && claim !== undefined && claim !== null && value === claim;
  });
}
