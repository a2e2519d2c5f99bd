import { named, type Rule, type RuleEnvironment } from './environment.ts';

function checkRules(name: string, rules: unknown[]): Rule[] {
  // an empty and_() would allow everyone, an empty or_() no one: both are mistakes, caught at definition
  if (rules.length === 0) throw new TypeError(`${name}() needs at least one rule`);
  rules.forEach((r, i) => {
    if (typeof r !== 'function') throw new TypeError(`${name}(): argument ${i + 1} is not a rule function`);
  });
  return rules as Rule[];
}

/** Runs one rule; a verdict that is not a boolean is an error (so `not_` can never turn garbage into `true`). */
export async function evaluate(rule: Rule, env: RuleEnvironment): Promise<boolean> {
  const verdict = await rule(env);
  if (typeof verdict !== 'boolean') throw new TypeError(`rule ${rule.name || 'anonymous'} returned ${typeof verdict}, not a boolean`);
  return verdict;
}

/**
 * True when every rule holds. Every rule runs, so a rule that throws fails the whole check
 * (closed) whatever its position.
 * @example and_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' }))
 */
export function and_(...rules: Rule[]): Rule {
  const list = checkRules('and_', rules);
  return named('and_', async (env: RuleEnvironment) => {
    const verdicts = await Promise.all(list.map((r) => evaluate(r, env)));
    return verdicts.every(Boolean);
  });
}

/**
 * True when any rule holds. Every rule runs: one that throws fails the check even if another holds.
 * @example or_(scopes_present('read:all'), match_keys({ patient_id: 'patient_id' }))
 */
export function or_(...rules: Rule[]): Rule {
  const list = checkRules('or_', rules);
  return named('or_', async (env: RuleEnvironment) => {
    const verdicts = await Promise.all(list.map((r) => evaluate(r, env)));
    return verdicts.some(Boolean);
  });
}

/**
 * True when the rule does not hold; a throwing rule still fails closed.
 * @example not_(key_present('system_id'))
 */
export function not_(rule: Rule): Rule {
  checkRules('not_', [rule]);
  return named('not_', async (env: RuleEnvironment) => {
    return !(await evaluate(rule, env));
  });
}
