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
 * True when every rule holds. Rules run in order and the first that does not hold decides, as in
 * the Python package: the rules after it never run. A rule that is reached and throws fails the
 * check (closed).
 * @example and_(scopes_present('read:patient'), match_keys({ patient_id: 'patient_id' }))
 */
export function and_(...rules: Rule[]): Rule {
  const list = checkRules('and_', rules);
  return named('and_', async (env: RuleEnvironment) => {
    for (const rule of list) if (!(await evaluate(rule, env))) return false;
    return true;
  });
}

/**
 * True when any rule holds. Rules run in order and the first that holds decides, as in the Python
 * package: the rules after it never run (so a body rule after `scopes_present('admin')` does not
 * read an admin's body). A rule that is reached and throws fails the check (closed).
 * @example or_(scopes_present('read:all'), match_keys({ patient_id: 'patient_id' }))
 */
export function or_(...rules: Rule[]): Rule {
  const list = checkRules('or_', rules);
  return named('or_', async (env: RuleEnvironment) => {
    for (const rule of list) if (await evaluate(rule, env)) return true;
    return false;
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
