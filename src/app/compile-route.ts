import type { BatteryRuntime, InternalRoute, RouteStep } from '../kernel/battery.ts';
import { type RequestContext, stateOf } from '../kernel/context.ts';
import type { RouteDefinition } from '../kernel/definitions.ts';
import { standardHeaders } from '../kernel/headers.ts';
import { toResponse } from '../kernel/respond.ts';
import { deprecationHeaders, deprecationNotice } from './deprecation.ts';
import { compileExtractors } from './params.ts';

/** One route, ready to serve: what the route table holds. */
export interface CompiledRoute {
  /** Synchronous when every step of the route is. */
  run: (ctx: RequestContext) => Response | Promise<Response>;
  /** A monitoring route: left out of metrics and the request log. */
  infra: boolean;
  /** `Deprecation`/`Link` headers for `@Deprecated` routes. */
  extraHeaders: [string, string][] | undefined;
}

/** A route a battery serves itself (`/running`, `/metrics`, `/openapi.json`). */
export function compileInternal(route: InternalRoute): CompiledRoute {
  return { run: route.handler, infra: route.infra, extraHeaders: undefined };
}

const NO_ARGS: unknown[] = [];

/** Runs the route steps in order; synchronous until one of them returns a promise. */
function runSteps(steps: RouteStep[], from: number, ctx: RequestContext): void | Promise<void> {
  for (let i = from; i < steps.length; i++) {
    const pending = steps[i](ctx);
    if (pending !== undefined) return Promise.resolve(pending).then(() => runSteps(steps, i + 1, ctx));
  }
}

/** A value a custom step or extractor hands back that must be awaited (any thenable, not only a native Promise). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * A controller route as one closure: the batteries' route steps (security), the argument
 * extractors, the handler, and the response with its standard headers. Synchronous from end to
 * end when every part is.
 */
export function compileRoute(definition: RouteDefinition, instance: object, batteries: readonly BatteryRuntime<object>[]): CompiledRoute {
  const steps = batteries.flatMap((b) => {
    const step = b.routeStep?.(definition);
    return step ? [step] : [];
  });
  const security: RouteStep | undefined = steps.length === 0 ? undefined : steps.length === 1 ? steps[0] : (ctx) => runSteps(steps, 0, ctx);
  const { extractors } = compileExtractors(definition, (param) => {
    for (const b of batteries) {
      const e = b.extractor?.(param, definition);
      if (e) return e;
    }
    return undefined;
  });
  const fn = (instance as Record<string, (...args: unknown[]) => unknown>)[definition.handlerName];
  const status = definition.status;
  const count = extractors.length;
  const extraHeaders = deprecationHeaders(definition);
  const deprecated = deprecationNotice(definition);

  const respond = (ctx: RequestContext, value: unknown, t1: number): Response => {
    const t2 = performance.now();
    ctx.addTiming('handler', t2 - t1);
    if (value instanceof Response) {
      // Response.error() is a network error, not something a server can send
      if (value.status === 0) throw new TypeError('The handler returned Response.error()');
      return value;
    }
    const state = stateOf(ctx);
    const response = toResponse(value, status, standardHeaders(ctx, extraHeaders, t2), state);
    // only once it is built: a value JSON cannot write becomes a 500 that still needs decorating
    state.headersDone = true;
    return response;
  };

  const invoke = (ctx: RequestContext, args: unknown[]): Response | Promise<Response> => {
    if (deprecated !== undefined) ctx.logger.warn(deprecated, { route: ctx.route, requestId: ctx.requestId });
    // the handler phase is the user's code alone: routing, auth and argument extraction are not in it
    const t1 = performance.now();
    let value: unknown;
    try {
      value = fn.apply(instance, args);
    } catch (error) {
      // a handler that throws still shows how long it ran
      ctx.addTiming('handler', performance.now() - t1);
      throw error;
    }
    if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(value).then(
        (resolved) => respond(ctx, resolved, t1),
        (error: unknown) => {
          ctx.addTiming('handler', performance.now() - t1);
          throw error;
        },
      );
    }
    return respond(ctx, value, t1);
  };

  // Arguments are extracted in order; the first one that is a promise (a body, an async schema,
  // a database scope) switches the rest of this request to the async path.
  const rest = async (ctx: RequestContext, args: unknown[], from: number, pending: PromiseLike<unknown>): Promise<Response> => {
    args[from] = await pending;
    for (let i = from + 1; i < count; i++) {
      const arg = extractors[i](ctx);
      args[i] = isThenable(arg) ? await arg : arg;
    }
    return invoke(ctx, args);
  };

  const afterAuth = (ctx: RequestContext): Response | Promise<Response> => {
    if (count === 0) return invoke(ctx, NO_ARGS);
    const args = new Array(count);
    for (let i = 0; i < count; i++) {
      const arg = extractors[i](ctx);
      if (isThenable(arg)) return rest(ctx, args, i, arg);
      args[i] = arg;
    }
    return invoke(ctx, args);
  };

  if (security === undefined) return { run: afterAuth, infra: false, extraHeaders };

  const run = (ctx: RequestContext): Response | Promise<Response> => {
    const t0 = performance.now();
    let pending: void | Promise<void>;
    try {
      pending = security(ctx);
    } catch (error) {
      // a refused request (401/403) shows its auth time too
      ctx.addTiming('auth', performance.now() - t0);
      throw error;
    }
    if (pending === undefined) {
      ctx.addTiming('auth', performance.now() - t0);
      return afterAuth(ctx);
    }
    // a custom battery's step may hand back any thenable
    return Promise.resolve(pending).then(
      () => {
        ctx.addTiming('auth', performance.now() - t0);
        return afterAuth(ctx);
      },
      (error: unknown) => {
        ctx.addTiming('auth', performance.now() - t0);
        throw error;
      },
    );
  };
  return { run, infra: false, extraHeaders };
}
