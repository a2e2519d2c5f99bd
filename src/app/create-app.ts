import { runtimeEnv } from '../adapters/runtime-env.ts';
import { type EnvSource, loadGroups, stringEnv, withTestingCredentials } from '../config/env.ts';
import { generalGroup } from '../config/general.ts';
import type { Database } from '../db/types.ts';
import { MethodNotAllowedError, NotFoundError, ShuttingDownError, UriTooLongError } from '../errors/http-errors.ts';
import { createErrorMapper, type ErrorClass, type ErrorHandler, type MappedError } from '../errors/mapper.ts';
import { isController, readController } from '../metadata/store.ts';
import type { RouteDefinition } from '../metadata/types.ts';
import { assertUniqueChecks } from '../observability/healthcheck.ts';
import { consoleJsonLogger, guardLogger, type Logger } from '../observability/logger.ts';
import type { MetricsRegistry } from '../observability/registry.ts';
import { requestIdFrom } from '../observability/request-id.ts';
import { RouteTable } from '../routing/router.ts';
import { RequestContext } from './context.ts';
import { deprecationHeaders, deprecationNotice } from './deprecation.ts';
import type { AppConfig, Feature, FeatureContext, FeatureRuntime, HealthCheck } from './feature.ts';
import { defaultFeatures } from './features.ts';
import { asFetch } from './handle.ts';
import { decorate, standardHeaders } from './headers.ts';
import { compileExtractors } from './params.ts';
import { warmUp } from './ready.ts';
import { toResponse } from './respond.ts';
import { executionContext, workersEnv } from './runtime-args.ts';
import type { AppOptions, InternalRoute, RouteStep } from './types.ts';

/** The compiled service: hand `app.fetch` to any runtime. */
export interface App {
  /** Bound; never rejects. Workers pass `(request, env, ctx)`; Bun and Deno pass their own second argument, which is ignored. */
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  /** The validated configuration (`undefined` on Workers until the first request brings the env). */
  readonly config: AppConfig | undefined;
  /** The app-wide database, when one is configured (`undefined` on Workers, where it is per request). */
  readonly db: Database | undefined;
  /** The app's Prometheus registry: register your own metrics here (served on `/metrics` unless `testing` or `metrics: false`). */
  readonly metrics: MetricsRegistry | undefined;
  /** The OpenAPI 3.1 document. */
  openapi(): Record<string, unknown>;
  /** Adds an error mapping, matched along the prototype chain. */
  onError<E extends Error>(errorClass: ErrorClass<E>, handler: ErrorHandler<E>): App;
  /** Route definitions read from the decorators. */
  readonly definitions: readonly RouteDefinition[];
  readonly options: Readonly<AppOptions>;
  /** Opens the database and runs migrations now rather than on the first request (`serve` awaits it); on Workers pass the bindings. */
  ready(env?: unknown): Promise<void>;
  /** Stops the features (closes the database); later requests get 503. */
  close(): Promise<void>;
}

const DEFAULT_MAX_PATH = 2048;
const FALLBACK_500 = '{"message":"Internal server error"}';

interface Compiled {
  /** Synchronous when every step of the route is. */
  run: (ctx: RequestContext) => Response | Promise<Response>;
  infra: boolean;
  /** `Deprecation`/`Link` headers for `@Deprecated` routes. */
  extraHeaders: [string, string][] | undefined;
}

interface Runtime {
  config: AppConfig;
  /** The env this runtime was built from (what `ctx.env` shows). */
  sourceEnv: Record<string, unknown>;
  table: RouteTable<Compiled>;
  logger: Logger;
  mapError: (error: unknown, ctx: RequestContext | undefined) => MappedError;
  onResponse: ((ctx: RequestContext, response: Response, ms: number, infra: boolean) => void) | undefined;
  features: FeatureRuntime[];
  exports: Record<string, unknown>;
  maxBodyBytes: number;
}

/**
 * Reads the decorators once and compiles every route into a closure behind one `fetch`.
 * @example
 * export const app = createApp({ title: 'Patients', version: '1.0.0', controllers: [PatientController] });
 * export default app; // Bun and Workers; Deno: serve app.fetch; Node: serve(app) from fetch-batteries/node
 */
export function createApp(options: AppOptions = {}, features: Feature[] = defaultFeatures()): App {
  return buildApp(options, features, undefined);
}

/** A foreign handler `augmentApp` delegates to when no battery route matches. */
export type Fallback = (request: Request, env: unknown, ctx: unknown) => Response | Promise<Response>;

export function buildApp(options: AppOptions, features: Feature[], fallback: Fallback | undefined): App {
  const instances = (options.controllers ?? []).map(instantiate);
  const definitions = instances.flatMap(({ ctor }) => readController(ctor).routes);
  const errorHandlers = new Map<ErrorClass, ErrorHandler>(options.errorHandlers ?? []);
  for (const feature of features) feature.checkRoutes?.(definitions, options);
  const maxPath = options.maxPathLength ?? DEFAULT_MAX_PATH;

  let fixed: Runtime | undefined;
  const perEnv = new WeakMap<object, Runtime>();
  const failed = new WeakMap<object, unknown>();
  let closed = false;

  const build = (source: EnvSource): Runtime => buildRuntime(source, options, definitions, instances, features, errorHandlers);

  // Known env (explicit, or the process's): compile now and fail fast on bad config.
  const startupEnv = options.env ?? runtimeEnv();
  if (startupEnv !== undefined) fixed = build(startupEnv);

  /** `bindings`: the Workers env of this request (`workersEnv(envArg)`), when there is one. */
  const runtimeFor = (bindings: Record<string, unknown> | undefined): Runtime => {
    if (options.env === undefined) {
      if (bindings !== undefined) {
        let rt = perEnv.get(bindings);
        if (rt === undefined) {
          if (failed.has(bindings)) throw failed.get(bindings);
          try {
            rt = build(bindings);
          } catch (error) {
            failed.set(bindings, error);
            throw error;
          }
          perEnv.set(bindings, rt);
        }
        return rt;
      }
    }
    if (fixed === undefined) fixed = build({});
    return fixed;
  };

  /** Decorates (when needed) and observes the final response; never throws. */
  const finish = (
    rt: Runtime | undefined,
    ctx: RequestContext | undefined,
    compiled: Compiled | undefined,
    response: Response,
    start: number,
    head: boolean,
  ) => {
    try {
      // a wrapped handler or a custom feature could hand back anything
      if (!(response instanceof Response)) response = fallback500();
      if (ctx === undefined || !ctx.headersDone) response = decorate(response, ctx, compiled?.extraHeaders, start);
      // HEAD answers like GET without a body, errors included
      if (head && response.body !== null) response = new Response(null, response);
      if (rt?.onResponse !== undefined && ctx !== undefined) {
        rt.onResponse(ctx, response, performance.now() - start, compiled?.infra ?? false);
      }
    } catch {
      // a broken sink must not break the response that is already built
    }
    return response;
  };

  /** Any throw or rejection above becomes the mapped error response; never throws nor rejects. */
  const fail = (
    rt: Runtime | undefined,
    ctx: RequestContext | undefined,
    compiled: Compiled | undefined,
    error: unknown,
    start: number,
    head: boolean,
  ): Response | Promise<Response> => {
    let mapped: Response | Promise<Response>;
    try {
      mapped = rt ? rt.mapError(error, ctx) : configFailure(error);
    } catch {
      mapped = fallback500();
    }
    if (mapped instanceof Promise) {
      return mapped.then(
        (response) => finish(rt, ctx, compiled, response, start, head),
        () => finish(rt, ctx, compiled, fallback500(), start, head),
      );
    }
    return finish(rt, ctx, compiled, mapped, start, head);
  };

  /**
   * The pipeline. Synchronous from end to end when the route is (no body, no async check, a
   * handler that returns a value): @hono/node-server then writes the response at once, with no
   * promise and no per-request close listener.
   */
  function handle(request: Request, envArg?: unknown, executionCtx?: unknown): Response | Promise<Response> {
    const start = performance.now();
    const method = request.method;
    // HEAD answers like GET without a body, even when the config could not load
    const head = method === 'HEAD';
    let ctx: RequestContext | undefined;
    let rt: Runtime | undefined;
    let compiled: Compiled | undefined;
    try {
      const bindings = workersEnv(envArg);
      rt = runtimeFor(bindings);
      const path = pathOf(request.url);
      ctx = new RequestContext(
        request,
        bindings ?? rt.sourceEnv,
        executionContext(executionCtx),
        requestIdFrom(request),
        rt.logger,
        start,
        path,
        rt.maxBodyBytes,
      );
      ctx.runtimeArg = envArg;
      if (closed) throw new ShuttingDownError();
      if (path.length > maxPath) throw new UriTooLongError(maxPath);
      const match = rt.table.match(head ? 'GET' : method, path);
      if (match !== undefined) {
        compiled = match.value;
        ctx.params = match.params;
        ctx.route = match.template;
        const out = compiled.run(ctx);
        if (out instanceof Promise) {
          const r = rt;
          const c = ctx;
          const x = compiled;
          return out.then(
            (response) => finish(r, c, x, response, start, head),
            (error: unknown) => fail(r, c, x, error, start, head),
          );
        }
        return finish(rt, ctx, compiled, out, start, head);
      }
      if (fallback !== undefined) return delegate(rt, ctx, fallback, request, envArg, executionCtx, start, head);
      const allow = allowHeader(rt.table, path);
      if (allow === undefined) throw new NotFoundError('Not found');
      if (method !== 'OPTIONS') throw new MethodNotAllowedError(allow);
      return finish(rt, ctx, undefined, new Response(null, { status: 204, headers: { allow } }), start, head);
    } catch (error) {
      return fail(rt, ctx, compiled, error, start, head);
    }
  }

  /** augmentApp: a request no battery route serves goes to the wrapped handler. */
  async function delegate(
    rt: Runtime,
    ctx: RequestContext,
    target: Fallback,
    request: Request,
    envArg: unknown,
    executionCtx: unknown,
    start: number,
    head: boolean,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await target(request, envArg, executionCtx);
      // itty-router leaves the matched template on the request: the right metrics label
      const template = (request as { route?: unknown }).route;
      if (typeof template === 'string') ctx.route = template;
      if (!(response instanceof Response)) throw new TypeError('The wrapped handler did not return a Response');
    } catch (error) {
      return fail(rt, ctx, undefined, error, start, head);
    }
    return finish(rt, ctx, undefined, response, start, head);
  }

  // `syncHandler(app.fetch)` is `handle` itself, for adapters whose server takes a plain Response
  const fetch = asFetch(handle);

  const app: App = {
    fetch,
    get config() {
      return fixed?.config;
    },
    get db() {
      return fixed?.exports.db as Database | undefined;
    },
    get metrics() {
      return fixed?.exports.metrics as MetricsRegistry | undefined;
    },
    openapi() {
      const rt = fixed ?? runtimeFor(undefined);
      const build = rt.exports.openapi as (() => Record<string, unknown>) | undefined;
      if (!build) throw new Error('OpenAPI is not enabled');
      return build();
    },
    onError(errorClass, handler) {
      errorHandlers.set(errorClass, handler as ErrorHandler);
      // mappers memoise lookups: rebuild them
      if (fixed) fixed.mapError = makeMapper(fixed.config, options, fixed.logger, errorHandlers);
      return app;
    },
    definitions,
    options,
    async ready(env) {
      if (!closed) await warmUp(runtimeFor(workersEnv(env)).features);
    },
    async close() {
      if (closed) return;
      closed = true;
      const runtimes = fixed ? [fixed] : [];
      await Promise.all(runtimes.flatMap((rt) => rt.features.map((f) => f.close?.())));
      await Promise.all(runtimes.map((rt) => rt.logger.flush?.()));
    },
  };
  return app;
}

function instantiate(controller: Function | object): { ctor: Function; instance: object } {
  if (typeof controller === 'function') {
    if (!isController(controller)) throw new TypeError(`${controller.name || 'anonymous class'} is not decorated with @Controller()`);
    if (controller.length > 0) {
      throw new TypeError(`${controller.name} takes constructor arguments: pass an instance (controllers: [new ${controller.name}(...)])`);
    }
    return { ctor: controller, instance: new (controller as new () => object)() };
  }
  const ctor = (controller as object).constructor;
  if (!isController(ctor)) throw new TypeError(`${ctor.name} instance: its class is not decorated with @Controller()`);
  return { ctor, instance: controller };
}

/** The raw path of a request URL: no query, no fragment (only a hand-made Request has one). */
function pathOf(url: string): string {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  if (pathStart < 0) return '/';
  const queryStart = url.indexOf('?', pathStart);
  const end = queryStart < 0 ? url.indexOf('#', pathStart) : queryStart;
  return end < 0 ? url.slice(pathStart) : url.slice(pathStart, end);
}

/** The `Allow` value for a path some route serves, `undefined` when none does. */
function allowHeader(table: RouteTable<Compiled>, path: string): string | undefined {
  const allowed = table.allowedMethods(path);
  if (allowed.length === 0) return undefined;
  if (allowed.includes('GET')) allowed.push('HEAD');
  allowed.push('OPTIONS');
  return allowed.join(', ');
}

function makeMapper(config: AppConfig, options: AppOptions, logger: Logger, handlers: Map<ErrorClass, ErrorHandler>) {
  const map = createErrorMapper({ production: config.general.production, format: options.errorFormat ?? 'json', logger, handlers });
  return map;
}

/** Config could not be loaded for this env (Workers: first request). Details go to the console only. */
function configFailure(error: unknown): Response {
  console.error(error instanceof Error ? error.message : String(error));
  return fallback500();
}

function fallback500(): Response {
  return new Response(FALLBACK_500, { status: 500, headers: { 'content-type': 'application/json' } });
}

function buildRuntime(
  source: EnvSource,
  options: AppOptions,
  definitions: RouteDefinition[],
  instances: { ctor: Function; instance: object }[],
  features: Feature[],
  errorHandlers: Map<ErrorClass, ErrorHandler>,
): Runtime {
  const env = withTestingCredentials(stringEnv(source), options.testing);
  const groups = [generalGroup, ...features.flatMap((f) => f.configGroups?.(definitions, options) ?? [])];
  const unique = [...new Map(groups.map((g) => [g.name, g])).values()];
  const config = { ...loadGroups(env, unique), env } as AppConfig;
  const logger = guardLogger(options.logger ?? consoleJsonLogger(config.general.LOG_LEVEL));
  const healthchecks: HealthCheck[] = [];
  const allRoutes: FeatureContext['allRoutes'] = [];
  const context: FeatureContext = { options, definitions, config, logger, healthchecks, allRoutes };
  const started = features.map((f) => f.start(context));
  // every feature has registered its readiness checks now: one name each, or one hides another
  assertUniqueChecks(healthchecks);

  const table = new RouteTable<Compiled>();
  const instanceOf = new Map(instances.map((i) => [i.ctor, i.instance]));
  for (const definition of definitions) {
    const compiled = compileRoute(definition, instanceOf.get(definition.controller) as object, started);
    table.add(definition.method, definition.path, compiled);
    allRoutes.push({ method: definition.method, path: definition.path, infra: false, definition });
  }
  for (const route of started.flatMap((f) => f.routes ?? [])) {
    table.add(route.method, route.path, compileInternal(route));
    allRoutes.push({ method: route.method, path: route.path, infra: route.infra });
  }
  const observers = started.flatMap((f) => (f.onResponse ? [f.onResponse.bind(f)] : []));
  const onResponse =
    observers.length === 0
      ? undefined
      : observers.length === 1
        ? observers[0]
        : (ctx: RequestContext, res: Response, ms: number, infra: boolean) => {
            for (const o of observers) {
              try {
                o(ctx, res, ms, infra);
              } catch {
                // one broken observer must not cost the others (metrics, the request log)
              }
            }
          };
  return {
    config,
    sourceEnv: source as Record<string, unknown>,
    table,
    logger,
    mapError: makeMapper(config, options, logger, errorHandlers),
    onResponse,
    features: started,
    exports: Object.assign({}, ...started.map((f) => f.exports ?? {})),
    maxBodyBytes: config.general.MAX_BODY_BYTES,
  };
}

function compileInternal(route: InternalRoute): Compiled {
  return { run: route.handler, infra: route.infra, extraHeaders: undefined };
}

const NO_ARGS: unknown[] = [];

/** Runs the security steps in order; synchronous until one of them returns a promise. */
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

function compileRoute(definition: RouteDefinition, instance: object, features: FeatureRuntime[]): Compiled {
  const steps = features.flatMap((f) => {
    const step = f.compileRoute?.(definition);
    return step ? [step] : [];
  });
  const security: RouteStep | undefined = steps.length === 0 ? undefined : steps.length === 1 ? steps[0] : (ctx) => runSteps(steps, 0, ctx);
  const { extractors } = compileExtractors(definition, (param) => {
    for (const f of features) {
      const e = f.extractor?.(param, definition);
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
    const response = toResponse(value, status, standardHeaders(ctx, extraHeaders, t2), ctx);
    // only once it is built: a value JSON cannot write becomes a 500 that still needs decorating
    ctx.headersDone = true;
    return response;
  };

  const invoke = (ctx: RequestContext, args: unknown[]): Response | Promise<Response> => {
    if (deprecated !== undefined) ctx.logger.warn(deprecated, { route: ctx.route, requestId: ctx.requestId });
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
    // a custom feature's step may hand back any thenable
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
