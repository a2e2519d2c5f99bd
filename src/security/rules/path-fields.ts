import type { Rule } from './environment.ts';

// The path parameters a rule reads, so createApp can refuse a rule that a route's path decides
// before any request: `match_keys({ patient_id: ... })` on a route with no `:patient_id` answers 403
// to everyone, and `not_` around it lets every caller through. Kept beside the rule functions, not
// on them: a rule is a plain function.
type Node = { kind: 'leaf'; name: string; params: readonly string[] } | { kind: 'and' | 'or' | 'not'; parts: readonly Rule[] };
const NODES = new WeakMap<Rule, Node>();

/** Two stacked `@Secured` rules (metadata/store.ts, below this floor) name their parts here: both must hold. */
export const AND_OF = Symbol.for('fetch-batteries.rule.and-of');

/** Records that `rule` (named `name`) is false whenever one of `params` is missing from the path. */
export function requiresPathParams<R extends Rule>(rule: R, name: string, params: readonly string[]): R {
  if (params.length > 0) NODES.set(rule, { kind: 'leaf', name, params });
  return rule;
}

/** Records what `and_`, `or_` or `not_` is made of. */
export function composedOf<R extends Rule>(rule: R, kind: 'and' | 'or' | 'not', parts: readonly Rule[]): R {
  NODES.set(rule, { kind, parts });
  return rule;
}

function nodeOf(rule: Rule): Node | undefined {
  const stacked = (rule as { [AND_OF]?: unknown })[AND_OF];
  return NODES.get(rule) ?? (Array.isArray(stacked) ? { kind: 'and', parts: stacked as Rule[] } : undefined);
}

interface Reason {
  rule: string;
  param: string;
}

/** Why `rule` can never hold on a path with these parameters, or undefined. */
function never(rule: Rule, has: (param: string) => boolean): Reason | undefined {
  const node = nodeOf(rule);
  if (node === undefined) return undefined;
  if (node.kind === 'leaf') {
    const param = node.params.find((p) => !has(p));
    return param === undefined ? undefined : { rule: node.name, param };
  }
  if (node.kind === 'not') return always(node.parts[0], has);
  return node.kind === 'and' ? some(node.parts, (part) => never(part, has)) : every(node.parts, (part) => never(part, has));
}

/** Why `rule` always holds on such a path (only `not_` of a rule that never does), or undefined. */
function always(rule: Rule, has: (param: string) => boolean): Reason | undefined {
  const node = nodeOf(rule);
  if (node === undefined || node.kind === 'leaf') return undefined;
  if (node.kind === 'not') return never(node.parts[0], has);
  return node.kind === 'or' ? some(node.parts, (part) => always(part, has)) : every(node.parts, (part) => always(part, has));
}

function some(parts: readonly Rule[], reason: (part: Rule) => Reason | undefined): Reason | undefined {
  for (const part of parts) {
    const found = reason(part);
    if (found !== undefined) return found;
  }
  return undefined;
}

function every(parts: readonly Rule[], reason: (part: Rule) => Reason | undefined): Reason | undefined {
  let first: Reason | undefined;
  for (const part of parts) {
    const found = reason(part);
    if (found === undefined) return undefined;
    first ??= found;
  }
  return first;
}

/**
 * What is wrong with `rule` on a route whose path has (`has`) these parameters, as the end of a
 * sentence, or undefined when requests can still decide.
 * @example pathParamProblem(match_keys({ idd: 'id' }), (p) => p === 'id'); // 'match_keys reads the path parameter "idd", ...'
 */
export function pathParamProblem(rule: Rule, has: (param: string) => boolean, path: string): string | undefined {
  const refused = never(rule, has);
  if (refused !== undefined) {
    return `${refused.rule} reads the path parameter "${refused.param}", which is not in the path ${path}, so every request would be refused with 403`;
  }
  const allowed = always(rule, has);
  if (allowed !== undefined) {
    return `${allowed.rule} reads the path parameter "${allowed.param}", which is not in the path ${path}, so the not_ around it always holds and every caller with a valid token would be let through`;
  }
  return undefined;
}
