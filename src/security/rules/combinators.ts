import { named, type Rule, type RuleEnvironment } from './environment.ts';
import { AND_OF, composedOf } from './path-fields.ts';

function checkRules(name: string, rules: unknown[]): Rule[] {
  // an empty and_() would allow everyone, an empty or_() no one: both are mistakes, caught at definition
  if (rules.length === 0) throw new TypeError(`${name}() needs at least one rule`);
  rules.forEach((r, i) => {
    if (typeof r !== 'function') throw new TypeError(`${name}(): argument ${i + 1} is not a rule function`);
  });
  return rules as Rule[];
}

/** A verdict, synchronous when every rule that decided it was. */
type Verdict = boolean | Promise<boolean>;

function checked(rule: Rule, verdict: unknown): boolean {
  if (typeof verdict !== 'boolean') throw new TypeError(`rule ${rule.name || 'anonymous'} returned ${typeof verdict}, not a boolean`);
  return verdict;
}

/**
 * Runs one rule; a verdict that is not a boolean is an error (so `not_` can never turn garbage into
 * `true`). Synchronous for a synchronous rule: a route whose rules are all synchronous (scopes,
 * claims, path and query) answers without a promise.
 */
export function evaluate(rule: Rule, env: RuleEnvironment): Verdict {
  const verdict: unknown = rule(env);
  if (verdict !== null && typeof verdict === 'object' && typeof (verdict as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(verdict as PromiseLike<unknown>).then((v) => checked(rule, v));
  }
  return checked(rule, verdict);
}

/** The first rule from `i` on whose verdict is `decisive` decides; none does: `!decisive`. */
function firstOf(list: Rule[], i: number, env: RuleEnvironment, decisive: boolean): Verdict {
  for (; i < list.length; i++) {
    const verdict = evaluate(list[i], env);
    if (typeof verdict !== 'boolean') {
      const next = i + 1;
      return verdict.then((v) => (v === decisive ? decisive : firstOf(list, next, env, decisive)));
    }
    if (verdict === decisive) return decisive;
  }
  return !decisive;
}

/**
 * True when every rule holds. Rules run in order and the first that does not hold decides, as in
 * the Python package: the rules after it never run. A rule that is reached and throws fails the
 * check (closed).
 * @example and_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' }))
 */
export function and_(...rules: Rule[]): Rule {
  const list = checkRules('and_', rules);
  return composedOf(
    named('and_', (env: RuleEnvironment) => firstOf(list, 0, env, false)),
    'and',
    list,
  );
}

/**
 * True when any rule holds. Rules run in order and the first that holds decides, as in the Python
 * package: the rules after it never run (so a body rule after `scopes_present('admin')` does not
 * read an admin's body). A rule that is reached and throws fails the check (closed).
 * @example or_(scopes_present('read:all'), match_keys({ patient_id: 'patient_id' }))
 */
export function or_(...rules: Rule[]): Rule {
  const list = checkRules('or_', rules);
  return composedOf(
    named('or_', (env: RuleEnvironment) => firstOf(list, 0, env, true)),
    'or',
    list,
  );
}

/**
 * True when the rule does not hold; a throwing rule still fails closed.
 * @example not_(key_present('system_id'))
 */
export function not_(rule: Rule): Rule {
  checkRules('not_', [rule]);
  const negation = named('not_', (env: RuleEnvironment) => {
    // scopes the inner rule found missing are why it failed, so why not_ holds: never a reason to refuse
    const before = env.missingScopes?.length ?? 0;
    const verdict = evaluate(rule, env);
    if (typeof verdict === 'boolean') {
      if (env.missingScopes !== undefined) env.missingScopes.length = before;
      return !verdict;
    }
    return verdict.then((v) => {
      if (env.missingScopes !== undefined) env.missingScopes.length = before;
      return !v;
    });
  });
  return composedOf(negation, 'not', [rule]);
}

/**
 * A route's rule as the security battery runs it: two stacked `@Secured` rules (made in
 * metadata/store.ts, which cannot import this floor) become `and_` of their parts, so their verdicts
 * get the same check and the route stays synchronous when both rules are. The stacked name is kept.
 */
export function runnable(rule: Rule): Rule {
  const parts = (rule as { [AND_OF]?: unknown })[AND_OF];
  if (!Array.isArray(parts)) return rule;
  return named(rule.name, and_(...(parts as Rule[]).map(runnable)));
}
