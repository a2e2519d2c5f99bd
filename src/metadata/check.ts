import type { ParamMeta, RouteRecord } from '../kernel/definitions.ts';

const OPEN = '([{';
const CLOSE = ')]}';

/** The index just past the bracket group or string literal starting at `start` (or -1). */
function skipGroup(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      // a string in a default value or a computed key may hold any bracket
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
      if (depth === 0) return i + 1;
    } else if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The declared parameter list of a method or function, read from its source: `undefined` when it
 * cannot be read. Bun's standard-decorator output keeps a computed key before it
 * (`[(_dec = [Get("/:id")], "m")](id) {}`), so a leading `[...]` or quoted name is skipped.
 */
function parameterList(fn: Function): { count: number; exact: boolean; defaulted: number } | undefined {
  const source = Function.prototype.toString.call(fn);
  let i = /^\s*(?:async\s*)?(?:function\b\s*)?\*?\s*/.exec(source)?.[0].length ?? 0;
  if (source[i] === '[' || source[i] === '"' || source[i] === "'") i = skipGroup(source, i);
  if (i < 0) return undefined;
  const open = source.indexOf('(', i);
  if (open < 0) return undefined;
  const close = skipGroup(source, open);
  if (close < 0) return undefined;
  // comments say nothing about the parameters (tsc keeps `m(/* none */)`)
  const inner = source.slice(open + 1, close - 1).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
  let count = 0;
  let exact = true;
  // parameters with a default value that no `...rest` comes before: `fn.length` stops at the first
  let defaulted = 0;
  let segment = '';
  // the segment without its bracketed and quoted parts: `=` there is a default value
  let top = '';
  const flush = () => {
    if (segment.trim() !== '') count++;
    if (/[=.{[]/.test(segment)) exact = false;
    if (top.includes('=') && !top.trim().startsWith('...')) defaulted++;
    segment = '';
    top = '';
  };
  for (let j = 0; j < inner.length; j++) {
    const c = inner[j];
    if (c === ',') flush();
    else if (OPEN.includes(c) || c === '"' || c === "'" || c === '`') {
      const end = skipGroup(inner, j);
      if (end < 0) return undefined;
      segment += inner.slice(j, end);
      j = end - 1;
    } else {
      segment += c;
      top += c;
    }
  }
  flush();
  return { count, exact, defaulted };
}

/**
 * Whether `fn.length` counts every declared parameter: a default value or a rest parameter
 * stops the count, so then a spec list longer than `length` may still be right.
 */
function arityIsExact(fn: Function): boolean {
  return parameterList(fn)?.exact ?? false;
}

/**
 * The parameters of one route: the route-level specs or the legacy parameter decorators, never
 * both, and (where the handler's arity is reliable) exactly as many as the handler declares.
 */
export function resolveParams(where: string, record: RouteRecord, legacy: readonly ParamMeta[], fn: unknown): ParamMeta[] {
  const decorator = `@${record.method[0]}${record.method.slice(1).toLowerCase()}`;
  if (record.specs === undefined) {
    // `m(@Query('page') page = '1')` compiled by Bun with standard decorators records nothing,
    // and the default value hides the parameter from fn.length: nothing would fill it. A wrapper
    // `function (...args)` (a timing or logging decorator) declares nothing of its own.
    const list = typeof fn === 'function' && fn.length === 0 && legacy.length === 0 ? parameterList(fn) : undefined;
    const declared = list !== undefined && list.defaulted > 0 ? list.count : 0;
    if (declared > 0) {
      throw new TypeError(
        `${where} declares ${declared} parameter${declared === 1 ? '' : 's'} but neither ${decorator}('${record.path}', ...) nor a ` +
          `parameter decorator says where ${declared === 1 ? 'it comes' : 'they come'} from: list one spec per parameter after the path, ` +
          `e.g. @Get('/:id', Param('id')) (parameter decorators need "experimentalDecorators": true)`,
      );
    }
    return legacy.slice().sort((a, b) => a.index - b.index);
  }
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
