import type { ControllerMeta, ParamMeta, RouteDefinition, RouteOptions, RouteRecord, RuleFn, SecuredMeta } from '../kernel/definitions.ts';
import { resolveParams } from './check.ts';
import { CLASS_OPTIONS_KEY, CONTROLLER_KEY, METHOD_OPTIONS_KEY, PARAMS_KEY, PROBLEMS_KEY, ROUTES_KEY } from './constants.ts';

// The only module that keeps decorator metadata: decorators write through these functions,
// `createApp` reads through `readController` once at start-up.

type Ctor = Function;

// Own (never inherited) values per class and per method, as reflect-metadata's getOwnMetadata
// kept them, in a WeakMap: reflect-metadata was the costliest import on Node and Deno, and nothing
// reads emitted `design:*` types. The map is shared through a global symbol, as the polyfill's
// registry was, so two copies of the package (source and build) still see one class's metadata.
type Slots = Map<string | undefined, Map<string, unknown>>;
const STORE = Symbol.for('fetch-batteries.metadata');
const holder = globalThis as { [STORE]?: WeakMap<object, Slots> };
const store: WeakMap<object, Slots> = holder[STORE] ?? new WeakMap();
holder[STORE] = store;

function getOwn(key: string, target: object, property?: string): unknown {
  return store.get(target)?.get(property)?.get(key);
}

function define(key: string, value: unknown, target: object, property?: string): void {
  let slots = store.get(target);
  if (slots === undefined) store.set(target, (slots = new Map()));
  let values = slots.get(property);
  if (values === undefined) slots.set(property, (values = new Map()));
  values.set(key, value);
}

function own<T>(key: string, target: object, make: () => T, property?: string): T {
  let value = getOwn(key, target, property) as T | undefined;
  if (value === undefined) {
    value = make();
    define(key, value, target, property);
  }
  return value;
}

export function setController(ctor: Ctor, meta: ControllerMeta): void {
  define(CONTROLLER_KEY, meta, ctor);
}

export function addRoute(ctor: Ctor, record: RouteRecord): void {
  own<RouteRecord[]>(ROUTES_KEY, ctor, () => []).push(record);
}

/** A decorator that could not be read: `createApp` refuses the class with this message. */
export function addProblem(ctor: Ctor, message: string): void {
  own<string[]>(PROBLEMS_KEY, ctor, () => []).push(message);
}

export function addParam(ctor: Ctor, handlerName: string, param: ParamMeta): void {
  own<ParamMeta[]>(PARAMS_KEY, ctor, () => [], handlerName).push(param);
}

/** Merge options into a method's (or, with no handlerName, the class's) options. */
export function setOptions(ctor: Ctor, handlerName: string | undefined, patch: RouteOptions): void {
  const target =
    handlerName === undefined
      ? own<RouteOptions>(CLASS_OPTIONS_KEY, ctor, () => ({}))
      : own<RouteOptions>(METHOD_OPTIONS_KEY, ctor, () => ({}), handlerName);
  mergeOptions(target, patch);
}

function mergeOptions(into: RouteOptions, patch: RouteOptions): void {
  for (const [k, value] of Object.entries(patch) as [keyof RouteOptions, unknown][]) {
    if (value === undefined) continue;
    if (k === 'returns' || k === 'tags' || k === 'scopes') {
      const list = (into[k] ?? []) as unknown[];
      (into as Record<string, unknown>)[k] = [...list, ...(value as unknown[])];
    } else if (k === 'secured') {
      into.secured = stackSecured(into.secured, value as SecuredMeta);
    } else {
      (into as Record<string, unknown>)[k] = value;
    }
  }
}

/**
 * Two `@Secured` on one route (the class's and the method's, or two on the method) both apply,
 * as stacked dependencies do in FastAPI and guards in NestJS: every rule must hold (the outer
 * one first) and the caller's issuer must be in every list. Replacing one with the other would
 * silently open the route.
 */
function stackSecured(outer: SecuredMeta | undefined, inner: SecuredMeta): SecuredMeta {
  if (outer === undefined) return { rule: inner.rule, issuers: inner.issuers };
  const a = outer.rule;
  const b = inner.rule;
  let rule = a ?? b;
  if (a !== undefined && b !== undefined) {
    // a verdict that is not a boolean is a broken rule (a failure, even under IGNORE_JWT_VALIDATION),
    // as in and_: the outer rule first, the inner one only when it holds
    const verdict = async (part: RuleFn, env: never): Promise<boolean> => {
      const value: unknown = await part(env);
      if (typeof value !== 'boolean') throw new TypeError(`rule ${part.name || 'anonymous'} returned ${typeof value}, not a boolean`);
      return value;
    };
    rule = (async (env: never) => (await verdict(a, env)) && (await verdict(b, env))) as RuleFn;
    Object.defineProperty(rule, 'name', { value: `${a.name || 'rule'} and ${b.name || 'rule'}` });
    // its parts, for the security battery's start-up check of the path parameters the rules read
    Object.defineProperty(rule, Symbol.for('fetch-batteries.rule.and-of'), { value: [a, b] });
  }
  const issuers =
    outer.issuers === undefined
      ? inner.issuers
      : inner.issuers === undefined
        ? outer.issuers
        : outer.issuers.filter((i) => inner.issuers?.includes(i));
  return { rule, issuers };
}

export function isController(ctor: unknown): boolean {
  return typeof ctor === 'function' && getOwn(CONTROLLER_KEY, ctor) !== undefined;
}

export interface ControllerDefinition {
  name: string;
  prefix: string;
  routes: RouteDefinition[];
}

/** The class and the classes it extends, nearest first. */
function lineage(ctor: Ctor): Ctor[] {
  const chain: Ctor[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  return chain;
}

/** The security options of a class (`@ApiKey`, `@Scopes`, `@Secured`): a subclass keeps its bases'. */
function securityOf(options: RouteOptions | undefined): RouteOptions {
  return { apiKey: options?.apiKey, scopes: options?.scopes, secured: options?.secured };
}

/**
 * Everything the decorators recorded for one controller class, and for the classes it extends:
 * a handler's routes come from the nearest class that declares a route for that handler (so an
 * override with its own route decorator replaces the base's routes, and an override without one
 * keeps them, bound to the override); the method-level options of a handler add up along the
 * chain, base first; the prefix and the class-level options are the concrete class's, plus the
 * bases' class-level security, so inheriting never makes a route less protected.
 */
export function readController(ctor: Ctor): ControllerDefinition {
  const meta = getOwn(CONTROLLER_KEY, ctor) as ControllerMeta | undefined;
  if (!meta) throw new TypeError(`${ctor.name || 'anonymous class'} is not decorated with @Controller()`);
  const chain = lineage(ctor);
  const problems = chain.flatMap((c) => (getOwn(PROBLEMS_KEY, c) ?? []) as string[]);
  if (problems.length > 0) throw new TypeError(problems.join('\n'));
  const classOptions: RouteOptions = {};
  for (const base of chain.slice(1).reverse()) mergeOptions(classOptions, securityOf(getOwn(CLASS_OPTIONS_KEY, base) as RouteOptions));
  mergeOptions(classOptions, (getOwn(CLASS_OPTIONS_KEY, ctor) ?? {}) as RouteOptions);
  const declared: { depth: number; record: RouteRecord }[] = [];
  const claimed = new Set<string>();
  chain.forEach((c, depth) => {
    const own = (getOwn(ROUTES_KEY, c) ?? []) as RouteRecord[];
    for (const record of own) if (!claimed.has(record.handlerName)) declared.push({ depth, record });
    for (const record of own) claimed.add(record.handlerName);
  });
  // first: with no route at all, the likelier cause is the decorator mode or a route decorator not ours
  if (declared.length === 0) {
    throw new TypeError(
      `${ctor.name || 'anonymous class'} is a @Controller with no routes. With TypeScript's default (standard) decorators, ` +
        `list parameters in the route decorator (@Get('/:id', Param('id'))) instead of parameter decorators, or set ` +
        `"experimentalDecorators": true in tsconfig.json; check that @Get/@Post/... are imported from 'fetch-batteries'.`,
    );
  }
  // `@Status(201) z() {}` or `z(@Param('id') id)` without a route decorator would be a silent 404
  for (const c of chain) {
    for (const [name, values] of store.get(c) ?? []) {
      if (name === undefined || claimed.has(name) || !(values.has(METHOD_OPTIONS_KEY) || values.has(PARAMS_KEY))) continue;
      const what = values.has(METHOD_OPTIONS_KEY) ? 'route options (@Status, @Scopes, @Doc, ...)' : 'parameter decorators';
      throw new TypeError(
        `${c.name || 'anonymous class'}.${name} has ${what} but no route decorator: add @Get('/path') (or @Post, @Put, @Patch, @Delete) to it`,
      );
    }
  }
  const routes = declared.map(({ depth, record }): RouteDefinition => {
    const name = record.handlerName;
    const merged: RouteOptions = {};
    mergeOptions(merged, classOptions);
    for (const c of chain.slice().reverse()) {
      const options = (getOwn(METHOD_OPTIONS_KEY, c, name) ?? {}) as RouteOptions;
      // an operationId names one operation: a base's would be given to every subclass's copy
      mergeOptions(merged, c === ctor || options.operationId === undefined ? options : { ...options, operationId: undefined });
    }
    // parameter decorators describe the nearest method at or below the class that declared the route
    const withParams = chain.slice(0, depth + 1).find((c) => getOwn(PARAMS_KEY, c, name) !== undefined);
    const legacy = (withParams === undefined ? [] : getOwn(PARAMS_KEY, withParams, name)) as ParamMeta[];
    const fn = (ctor.prototype as Record<string, unknown>)[name];
    const params = resolveParams(`${ctor.name}.${name}`, record, legacy, fn);
    return {
      ...merged,
      controller: ctor,
      controllerName: ctor.name,
      handlerName: name,
      method: record.method,
      path: joinPaths(meta.prefix, record.path),
      params,
      arity: typeof fn === 'function' ? fn.length : 0,
    };
  });
  return { name: ctor.name, prefix: meta.prefix, routes };
}

/** `/patients` + `/` -> `/patients`; `''` + `x` -> `/x`; never a trailing slash except the root. */
export function joinPaths(...parts: string[]): string {
  const joined = `/${parts.join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}
