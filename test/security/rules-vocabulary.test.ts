import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  and_,
  argument_not_present,
  argument_present,
  Controller,
  compare_keys,
  field_in_body_matches_jwt_claim,
  field_in_path_matches_jwt_claim,
  Get,
  key_contains_value,
  key_contains_value_in_list,
  key_present,
  match_keys,
  non_production_only_route,
  not_,
  or_,
  production_only_route,
  type Rule,
  type RuleEnvironment,
  Secured,
  scopes_present,
} from '../../src/index.ts';

function env(over: Partial<Omit<RuleEnvironment, 'body'>> & { body?: unknown } = {}): RuleEnvironment {
  const { body, ...rest } = over;
  return {
    scopes: [],
    claims: { patient_id: '12345' },
    request: new Request('http://test.local/endpoint'),
    params: {},
    query: Object.create(null),
    body: async () => body,
    environment: 'DEVELOPMENT',
    production: false,
    ...rest,
  };
}
const query = (q: Record<string, string | string[]>) => Object.assign(Object.create(null), q);
const holds = async (rule: Rule, e = env()) => (await rule(e)) === true;

describe('rule vocabulary (the Python test cases)', () => {
  it('key_present', async () => {
    expect(await holds(key_present('patient_id'))).toBe(true);
    expect(await holds(key_present('clinician'))).toBe(false);
    expect(await holds(key_present('constructor'))).toBe(false);
    expect(await holds(key_present('toString'))).toBe(false);
  });

  it('key_contains_value compares strictly', async () => {
    expect(await holds(key_contains_value('patient_id', '12345'))).toBe(true);
    expect(await holds(key_contains_value('clinician_id', '12345'))).toBe(false);
    expect(await holds(key_contains_value('patient_id', '123456'))).toBe(false);
    expect(await holds(key_contains_value('patient_id', 12345))).toBe(false);
    expect(await holds(key_contains_value('missing', undefined))).toBe(false);
  });

  it('key_contains_value_in_list', async () => {
    expect(await holds(key_contains_value_in_list('patient_id', ['12345', '67890']))).toBe(true);
    expect(await holds(key_contains_value_in_list('clinician_id', ['12345', '67890']))).toBe(false);
    expect(await holds(key_contains_value_in_list('patient_id', ['123456', '78901']))).toBe(false);
    expect(await holds(key_contains_value_in_list('missing', [undefined]))).toBe(false);
  });

  it.each([
    [['read:user'], ['write:user'], false],
    [['read:user', 'write:user'], ['write:users'], false],
    [['read:user', 'write:user', 'read:patient'], ['read:user', 'write:user', 'read:patient', 'write:patient'], false],
    [['read:user', 'write:user'], 'read:patient', false],
    [['read:user', 'write:user'], ['write:user'], true],
    [['read:user', 'write:user'], ['read:user', 'write:user'], true],
    [['read:user', 'write:user', 'read:patient'], ['write:user', 'read:patient'], true],
    [['read:user', 'write:user', 'read:patient'], 'read:user', true],
  ])('scopes_present: token %j, required %j -> %s', async (scopes, required, expected) => {
    expect(await holds(scopes_present(required), env({ scopes }))).toBe(expected);
  });

  it('match_keys', async () => {
    expect(await holds(match_keys())).toBe(true);
    expect(await holds(match_keys({ patient_id: 'patient_id' }))).toBe(false);
    expect(await holds(match_keys({ patient_id: 'patient_id' }), env({ params: { patient_id: '12345' } }))).toBe(true);
    expect(
      await holds(match_keys({ patient_id: 'patient_id' }), env({ claims: { patient_id: 'WRONG' }, params: { patient_id: '12345' } })),
    ).toBe(false);
    expect(
      await holds(
        match_keys({ route_param_1: 'claim_field_1' }),
        env({ claims: { claim_field_1: ['claim_1_value'] }, params: { route_param_1: 'claim_2_value' } }),
      ),
    ).toBe(false);
    // a list claim holds when the path value is one of its items (a clinician's location_ids)
    const locations = match_keys({ location_id: 'location_ids' });
    expect(await holds(locations, env({ claims: { location_ids: ['L1', 'L2'] }, params: { location_id: 'L2' } }))).toBe(true);
    expect(await holds(locations, env({ claims: { location_ids: ['L1', 'L2'] }, params: { location_id: 'L3' } }))).toBe(false);
    expect(await holds(locations, env({ claims: { location_ids: [] }, params: { location_id: 'L1' } }))).toBe(false);
    expect(await holds(locations, env({ claims: { location_ids: ['L1'] }, params: {} }))).toBe(false);
    expect(await holds(locations, env({ claims: {}, params: { location_id: 'L1' } }))).toBe(false);
    expect(await holds(locations, env({ claims: { location_ids: { L1: true } }, params: { location_id: 'L1' } }))).toBe(false);
    expect(
      await holds(
        match_keys({ route_param_1: 'claim_field_1' }),
        env({ claims: { claim_field_1: { claim_2_value: null } }, params: { route_param_1: 'claim_2_value' } }),
      ),
    ).toBe(false);
    expect(
      await holds(match_keys({ patient_id: 'patient_id' }), env({ claims: { patient_id: 12345 }, params: { patient_id: '12345' } })),
    ).toBe(false);
  });

  it('compare_keys looks in the path, then the query', async () => {
    const rule = compare_keys({ location_id: 'location' });
    expect(await holds(rule, env({ claims: { location: 'L1' }, params: { location_id: 'L1' } }))).toBe(true);
    expect(await holds(rule, env({ claims: { location: 'L1' }, query: query({ location_id: 'L1' }) }))).toBe(true);
    expect(await holds(rule, env({ claims: { location: 'L1' }, query: query({ location_id: ['L1', 'L2'] }) }))).toBe(false);
    expect(await holds(rule, env({ claims: { location: 'L1' }, query: query({ location_id: 'L2' }) }))).toBe(false);
    expect(await holds(rule, env({ claims: {}, params: { location_id: 'L1' } }))).toBe(false);
    expect(() => compare_keys({})).toThrow(TypeError);
  });

  it('argument_present and argument_not_present', async () => {
    const q = query({ arg1: 'val1', arg2: 'val2' });
    expect(await holds(argument_present('arg1', 'val1'), env({ query: q }))).toBe(true);
    expect(await holds(argument_present('arg1'), env({ query: q }))).toBe(true);
    expect(await holds(argument_present('arg1', 'val1'), env({ query: query({ arg1: 'val2' }) }))).toBe(false);
    expect(await holds(argument_present('arg1', 'val1'), env({ query: query({ arg1: ['val2', 'val1'] }) }))).toBe(true);
    expect(await holds(argument_present('arg3'), env({ query: q }))).toBe(false);
    // compared ignoring case, as the Python package upper-cased both sides
    expect(await holds(argument_present('compact', 'true'), env({ query: query({ compact: 'TRUE' }) }))).toBe(true);
    expect(await holds(argument_present('compact', 'TRUE'), env({ query: query({ compact: 'True' }) }))).toBe(true);
    expect(await holds(argument_present('compact', 'true'), env({ query: query({ compact: ['no', 'tRuE'] }) }))).toBe(true);
    expect(await holds(argument_present('compact', 'true'), env({ query: query({ compact: 'yes' }) }))).toBe(false);
    expect(await holds(argument_not_present('arg1'), env({ query: query({ arg2: 'val1' }) }))).toBe(true);
    expect(await holds(argument_not_present('arg2'), env({ query: query({ arg2: 'val1' }) }))).toBe(false);
  });

  it('production_only_route and non_production_only_route', async () => {
    const prod = env({ production: true, environment: 'PRODUCTION' });
    const dev = env({ production: false, environment: 'DEVELOPMENT' });
    expect(await holds(production_only_route(), prod)).toBe(true);
    expect(await holds(production_only_route(), dev)).toBe(false);
    expect(await holds(non_production_only_route(), prod)).toBe(false);
    expect(await holds(non_production_only_route(), dev)).toBe(true);
  });

  it.each([
    ['12345', '12345', true],
    ['abcde', '12345', false],
    ['12345', null, false],
    [null, '12345', false],
    [null, null, false],
  ])('field_in_path_matches_jwt_claim: claim %j, path %j -> %s', async (claim, field, expected) => {
    const e = env({ claims: { patient_id: claim }, params: field === null ? {} : { patient_uuid: field } });
    expect(await holds(field_in_path_matches_jwt_claim('patient_uuid', 'patient_id'), e)).toBe(expected);
  });

  it.each([
    ['12345', '12345', true],
    ['abcde', '12345', false],
    ['12345', null, false],
    [null, '12345', false],
    [null, null, false],
  ])('field_in_body_matches_jwt_claim: claim %j, body %j -> %s', async (claim, field, expected) => {
    const e = env({ claims: { patient_id: claim }, body: { patient_uuid: field } });
    expect(await holds(field_in_body_matches_jwt_claim('patient_uuid', 'patient_id'), e)).toBe(expected);
  });

  it('field_in_body_matches_jwt_claim is false for a body that is not an object', async () => {
    const rule = field_in_body_matches_jwt_claim('patient_uuid', 'patient_id');
    expect(await holds(rule, env({ body: ['12345'] }))).toBe(false);
    expect(await holds(rule, env({ body: '12345' }))).toBe(false);
  });
});

describe('combinators', () => {
  it('or_ and and_ follow the Python cases', async () => {
    expect(await holds(or_(key_present('clinician_id'), key_present('patient_id')))).toBe(true);
    expect(await holds(or_(key_present('clinician_id'), key_present('system_id')))).toBe(false);
    expect(await holds(and_(key_present('patient_id'), key_present('patient_id')))).toBe(true);
    expect(await holds(and_(key_present('patient_id'), key_present('clinician_id')))).toBe(false);
    expect(await holds(not_(key_present('clinician_id')))).toBe(true);
  });

  it('refuses scopes_present() with no scope (it would let every token through)', () => {
    expect(() => scopes_present()).toThrow(/at least one scope/);
    expect(() => scopes_present([])).toThrow(/at least one scope/);
    expect(() => scopes_present('')).toThrow(/non-empty strings/);
  });

  it('refuses and_() and or_() with no rules when the route is defined', () => {
    expect(() => and_()).toThrow(TypeError);
    expect(() => or_()).toThrow(TypeError);
    expect(() => or_('read' as unknown as Rule)).toThrow(/not a rule function/);
    expect(() => {
      @Controller('/bad')
      class Bad {
        @Get('/')
        @Secured(or_())
        get() {}
      }
      return Bad;
    }).toThrow(/or_\(\) needs at least one rule/);
  });

  it('a throwing rule that is reached makes or_, and_ and not_ reject (so the route fails closed); one after the deciding rule never runs', async () => {
    const boom: Rule = () => {
      throw new Error('boom');
    };
    await expect(Promise.resolve().then(() => or_(boom, () => true)(env()))).rejects.toThrow('boom');
    await expect(Promise.resolve().then(() => and_(() => true, boom)(env()))).rejects.toThrow('boom');
    await expect(Promise.resolve().then(() => not_(boom)(env()))).rejects.toThrow('boom');
    // as in Python: or_ stops at the first true, and_ at the first false
    expect(await or_(() => true, boom)(env())).toBe(true);
    expect(await and_(() => false, boom)(env())).toBe(false);
  });

  it('a verdict that is not a boolean is an error, never turned into true by not_', async () => {
    const sloppy = (() => 'yes') as unknown as Rule;
    await expect(Promise.resolve().then(() => not_(sloppy)(env()))).rejects.toThrow(/not a boolean/);
  });

  it('obey boolean algebra against a plain model that stops at the first deciding rule (property)', async () => {
    type Expr = { op: 'lit'; v: boolean; async: boolean } | { op: 'throw' } | { op: 'not'; e: Expr } | { op: 'and' | 'or'; es: Expr[] };
    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ op: fc.constant('lit' as const), v: fc.boolean(), async: fc.boolean() }),
        fc.record({ op: fc.constant('throw' as const) }),
        fc.record({ op: fc.constant('not' as const), e: tie('expr') }),
        fc.record({ op: fc.constantFrom('and' as const, 'or' as const), es: fc.array(tie('expr'), { minLength: 1, maxLength: 4 }) }),
      ),
    }));
    // a throwing rule throws only when it is reached, as Python's `for ... await arg(env)` loop
    const model = (e: Expr): boolean | 'throws' => {
      if (e.op === 'lit') return e.v;
      if (e.op === 'throw') return 'throws';
      if (e.op === 'not') {
        const v = model(e.e);
        return v === 'throws' ? v : !v;
      }
      for (const sub of e.es) {
        const v = model(sub);
        if (v === 'throws' || v === (e.op === 'or')) return v;
      }
      return e.op === 'and';
    };
    const build = (e: Expr): Rule => {
      if (e.op === 'lit') return e.async ? async () => e.v : () => e.v;
      if (e.op === 'throw')
        return () => {
          throw new Error('reached');
        };
      if (e.op === 'not') return not_(build(e.e));
      const rules = e.es.map(build);
      return e.op === 'and' ? and_(...rules) : or_(...rules);
    };
    await fc.assert(
      fc.asyncProperty(expr, async (e) => {
        const got = await Promise.resolve()
          .then(() => build(e)(env()))
          .catch(() => 'throws' as const);
        expect(got).toBe(model(e));
      }),
      { numRuns: 300 },
    );
  });
});
