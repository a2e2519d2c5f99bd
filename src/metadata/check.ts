import type { ParamMeta, RouteRecord } from '../kernel/definitions.ts';

/**
 * Whether `fn.length` counts every declared parameter: a default value or a rest parameter
 * stops the count, so then a spec list longer than `length` may still be right.
 */
function arityIsExact(fn: Function): boolean {
  const source = Function.prototype.toString.call(fn);
  const open = source.indexOf('(');
  const close = source.indexOf(')', open);
  if (open < 0 || close < 0) return false;
  return !/[=.{[]/.test(source.slice(open + 1, close));
}

/**
 * The parameters of one route: the route-level specs or the legacy parameter decorators, never
 * both, and (where the handler's arity is reliable) exactly as many as the handler declares.
 */
export function resolveParams(where: string, record: RouteRecord, legacy: readonly ParamMeta[], fn: unknown): ParamMeta[] {
  const decorator = `@${record.method[0]}${record.method.slice(1).toLowerCase()}`;
  if (record.specs === undefined) return legacy.slice().sort((a, b) => a.index - b.index);
  if (legacy.length > 0) {
    throw new TypeError(
      `${where} has parameter specs in ${decorator}(...) and parameter decorators: use one form (the route-level specs work in both decorator modes)`,
    );
  }
  if (typeof fn === 'function') {
    const count = record.specs.length;
    const tooFew = fn.length > count;
    const tooMany = count > fn.length && arityIsExact(fn);
    if (tooFew || tooMany) {
      throw new TypeError(
        `${where} takes ${fn.length} parameter${fn.length === 1 ? '' : 's'} but ${decorator}('${record.path}', ...) lists ${count} ` +
          `parameter spec${count === 1 ? '' : 's'}: give one spec (Param, Query, Body, Header, Ctx, User, Token or Db) per parameter, in order`,
      );
    }
  }
  return record.specs;
}
