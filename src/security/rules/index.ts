// The rule vocabulary of `@Secured(...)`, as `fetch-batteries` exports it (this is its only list).
export { and_, not_, or_ } from './combinators.ts';
export type { Rule, RuleEnvironment } from './environment.ts';
export {
  argument_not_present,
  argument_present,
  compare_keys,
  field_in_body_matches_jwt_claim,
  field_in_path_matches_jwt_claim,
  key_contains_value,
  key_contains_value_in_list,
  key_present,
  match_keys,
  non_production_only_route,
  production_only_route,
  scopes_present,
} from './vocabulary.ts';
