import { addProblem } from '../metadata/store.ts';

// Both decorator modes share one implementation: a decorator looks at what it was called with.
// Legacy (`experimentalDecorators`): `(target)` for a class, `(prototype, key, descriptor)` for a
// method. TC39 standard (TypeScript's default, esbuild, Bun, Deno): `(value, context)` with
// `context.kind`. A standard member decorator does not get the class, so what it records waits in
// `context.metadata` (or, without it, in `pending`) until one of our class decorators runs — class
// decorators run after every member decorator of their class.

// TypeScript's own output passes `context.metadata` only when `Symbol.metadata` exists, which
// Node 20 lacks. The same registered symbol esbuild falls back to, so both agree on the key.
// This module is evaluated before any user class that imports a decorator from it.
const symbols = Symbol as { metadata?: symbol };
symbols.metadata ??= Symbol.for('Symbol.metadata');

/** What a standard decorator receives as its second argument (only the parts read here). */
export interface StandardContext {
  kind: string;
  name?: string | symbol;
  static?: boolean;
  private?: boolean;
  metadata?: object | null;
}

/** The standard call's signatures, so one decorator type-checks in both modes. */
export type StandardMethodDecorator = (
  value: Function,
  context: { readonly kind: 'method'; readonly name: string | symbol; readonly metadata?: unknown },
) => void;
export type StandardClassDecorator = (value: Function, context: { readonly kind: 'class'; readonly metadata?: unknown }) => void;
export type RouteDecorator = MethodDecorator & StandardMethodDecorator;
export type ControllerDecorator = ClassDecorator & StandardClassDecorator;
/** A decorator usable on a method, or on the class as a default for all its routes. */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator & StandardClassDecorator & StandardMethodDecorator;

type Writer = (ctor: Function) => void;

const BAG = Symbol.for('fetch-batteries:pending');
const pending: { fn: unknown; name: string; write: Writer }[] = [];

export function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && typeof (value as StandardContext).kind === 'string' && 'addInitializer' in value;
}

/** Records a member decorator's effect until the class is known (see `flushPending`). */
export function defer(value: unknown, context: StandardContext, write: Writer): void {
  const meta = context.metadata as Record<symbol, Writer[]> | null | undefined;
  if (meta) {
    if (!Object.hasOwn(meta, BAG)) meta[BAG] = [];
    meta[BAG].push(write);
  } else {
    pending.push({ fn: value, name: String(context.name), write });
  }
}

/** Applies, once, what the members of `target` recorded in its metadata object. */
function applyRecorded(meta: Record<symbol, Writer[]> | null | undefined, target: Function): void {
  if (!meta || !Object.hasOwn(meta, BAG)) return;
  const writes = meta[BAG];
  meta[BAG] = [];
  for (const write of writes) write(target);
}

/** Called by every standard class decorator: applies what the class's members recorded. */
export function flushPending(ctor: Function, context: StandardContext): void {
  applyRecorded(context.metadata as Record<symbol, Writer[]> | null | undefined, ctor);
  // An undecorated base class (`abstract class Crud { @Get('/') list() {} }`) has no class
  // decorator of its own to apply what its members recorded: its first decorated subclass does
  // it, for the base, so every subclass inherits the base's routes from the base.
  const bases: Function[] = [];
  const key = symbols.metadata as symbol;
  for (let base: unknown = Object.getPrototypeOf(ctor); typeof base === 'function' && base !== Function.prototype; ) {
    bases.push(base);
    if (Object.hasOwn(base, key)) applyRecorded((base as unknown as Record<symbol, Record<symbol, Writer[]> | null>)[key], base);
    base = Object.getPrototypeOf(base);
  }
  // Without metadata, a member is recognised by its function on the prototype (or the class),
  // this class's or a base's.
  for (let i = 0; i < pending.length; ) {
    const { fn, name, write } = pending[i];
    const owner = [ctor, ...bases].find((c) =>
      [c.prototype, c].some((o) => o && Object.hasOwn(o, name) && (o as Record<string, unknown>)[name] === fn),
    );
    if (owner) {
      pending.splice(i, 1);
      write(owner);
    } else i++;
  }
}

function className(ctor: Function): string {
  return ctor.name || 'anonymous class';
}

/** The member a decorator was put on, for messages: `PatientController.get`. */
function memberName(ctor: Function, key: unknown): string {
  return `${className(ctor)}.${String(key)}`;
}

/** Where a legacy decorator landed: the class, plus the member name when on a member. */
function legacyOwner(target: unknown): Function {
  return typeof target === 'function' ? target : (target as object).constructor;
}

/**
 * Records a problem found while decorating, reported by `createApp` naming the class: a
 * decorator cannot throw usefully here (it does not know the class in standard mode).
 */
export function problem(target: unknown, keyOrContext: unknown, message: (where: string) => string): void {
  if (isStandardContext(keyOrContext)) {
    if (keyOrContext.kind === 'class') addProblem(target as Function, message(className(target as Function)));
    else defer(target, keyOrContext, (ctor) => addProblem(ctor, message(memberName(ctor, keyOrContext.name))));
    return;
  }
  const ctor = legacyOwner(target);
  addProblem(ctor, message(keyOrContext === undefined ? className(ctor) : memberName(ctor, keyOrContext)));
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

/**
 * `@Get` instead of `@Get()`: the factory itself was called as the decorator. Records the
 * problem and returns true (the caller then returns `undefined`, leaving the member as it was).
 */
export function usedWithoutCall(name: string, args: readonly unknown[]): boolean {
  const [target, key] = args;
  const bare =
    isStandardContext(key) ||
    (typeof target === 'object' && target !== null && (typeof key === 'string' || typeof key === 'symbol')) ||
    (typeof target === 'function' && (typeof key === 'string' || typeof key === 'symbol')) ||
    (args.slice(1).every((a) => a === undefined) && isClass(target));
  if (!bare) return false;
  problem(
    target,
    key,
    (where) => `@${name} on ${where} is used without parentheses: write @${name}(...) with its arguments, e.g. @${name}()`,
  );
  return true;
}

/** The kinds of member a method decorator accepts, and what to say otherwise. */
export function checkMethod(name: string, target: unknown, keyOrContext: unknown, descriptor: unknown): boolean {
  rejectSymbolKey(name, target, keyOrContext);
  let what: string | undefined;
  if (isStandardContext(keyOrContext)) {
    if (keyOrContext.kind !== 'method') what = `a ${keyOrContext.kind}`;
    else if (keyOrContext.static) what = 'a static method';
    else if (keyOrContext.private) what = 'a private (#) method';
  } else if (keyOrContext === undefined) {
    what = 'a class';
  } else if (typeof target === 'function') {
    what = 'a static member';
  } else if (typeof (descriptor as PropertyDescriptor | undefined)?.value !== 'function') {
    what = descriptor === undefined || typeof descriptor === 'number' ? 'a field or parameter' : 'a getter or setter';
  }
  if (what === undefined) return true;
  problem(target, keyOrContext, (where) => `@${name} on ${where}: it belongs on an instance method of a @Controller class, not on ${what}`);
  return false;
}

/**
 * A decorator on a symbol-named method throws at once: a route handler is found and named by a
 * string key, and the class may be unknown yet (standard mode), so there is nothing to record on.
 */
export function rejectSymbolKey(name: string, target: unknown, keyOrContext: unknown): void {
  const key = isStandardContext(keyOrContext) ? keyOrContext.name : keyOrContext;
  if (typeof key !== 'symbol') return;
  const owner = isStandardContext(keyOrContext) ? '' : `${className(legacyOwner(target))}.`;
  throw new TypeError(
    `@${name} on ${owner}[${String(key)}]: a route method needs a string name, not a symbol: give the method a plain name`,
  );
}
