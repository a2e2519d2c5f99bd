import type { Database } from '../db/types.ts';
import type { ErrorClass, ErrorHandler } from '../errors/mapper.ts';
import type { RouteDefinition } from '../kernel/definitions.ts';
import { platform } from '../kernel/platform.ts';
import { isController, readController } from '../metadata/store.ts';
import type { MetricsRegistry } from '../observability/registry.ts';
import { defaultBatteries } from './batteries.ts';
import { checkOptions } from './check-options.ts';
import type { AppConfig, AppOptions } from './options.ts';
import { DEFAULT_MAX_PATH, type Fallback, handle, type Pipeline } from './pipeline.ts';
import { warmUp } from './ready.ts';
import { type AppBattery, RuntimeCache } from './runtime.ts';
import { workersEnv } from './runtime-args.ts';
import { asFetch } from './sync-handler.ts';

export type { Fallback } from './pipeline.ts';

/** The compiled service: hand `app.fetch` to any runtime. */
export interface App {
  /** Bound; never rejects. Workers pass `(request, env, ctx)`; Bun and Deno pass their own second argument, which is ignored. */
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  /** The validated configuration (`undefined` on Workers until the first request brings the env). */
  readonly config: AppConfig | undefined;
  /** The app-wide database, when one is configured (`undefined` on Workers, where it is per request). */
  readonly db: Database | undefined;
  /** The app's Prometheus registry: register your own metrics here (served on `/metrics` unless `testing` or `metrics: false`); `undefined` on Workers, where you pass `metrics: { registry }`. */
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
  /** Stops the batteries (closes the database); later requests get 503. */
  close(): Promise<void>;
}

/**
 * Reads the decorators once and compiles every route into a closure behind one `fetch`.
 * @example
 * export const app = createApp({ title: 'Patients', version: '1.0.0', controllers: [PatientController] });
 * export default app; // Bun and Workers; Deno: serve app.fetch; Node: serve(app) from fetch-batteries/node
 */
export function createApp(options: AppOptions = {}, batteries: AppBattery[] = defaultBatteries()): App {
  return buildApp(options, batteries, undefined);
}

/** The App object over its runtimes and request path (`createApp`, and `augmentApp` with a fallback). */
export function buildApp(options: AppOptions, batteries: AppBattery[], fallback: Fallback | undefined): App {
  checkOptions(options, batteries);
  const instances = (options.controllers ?? []).map(instantiate);
  const definitions = instances.flatMap(({ ctor }) => readController(ctor).routes);
  const errorHandlers = new Map<ErrorClass, ErrorHandler>(options.errorHandlers ?? []);
  for (const battery of batteries) battery.checkRoutes?.(definitions, options);

  // a known env (explicit, or the process's) is compiled now: bad config fails fast
  const runtimes = new RuntimeCache({ options, definitions, instances, batteries, errorHandlers });
  const pipeline: Pipeline = {
    runtimes,
    maxPath: options.maxPathLength ?? DEFAULT_MAX_PATH,
    closed: false,
    fallback,
    rawUrl: platform().hostUnchecked,
  };

  // `syncHandler(app.fetch)` is this handler itself, for adapters whose server takes a plain Response
  const fetch = asFetch(
    (request, env, ctx) => handle(pipeline, request, env, ctx),
    (request, env, ctx) => handle(pipeline, request, env, ctx, true),
  );

  const app: App = {
    fetch,
    get config() {
      return runtimes.fixed?.config;
    },
    get db() {
      return runtimes.fixed?.exports.db;
    },
    get metrics() {
      return runtimes.fixed?.exports.metrics;
    },
    openapi() {
      const build = runtimes.for(undefined).exports.openapi;
      if (!build) throw new Error('OpenAPI is not enabled');
      return build();
    },
    onError(errorClass, handler) {
      errorHandlers.set(errorClass, handler as ErrorHandler);
      runtimes.remap();
      return app;
    },
    definitions,
    options,
    async ready(env) {
      if (pipeline.closed) return;
      const rt = runtimes.for(workersEnv(env));
      await warmUp(rt.batteries);
      // what the warm-up logged (migrations applied) reaches the output before the caller says "listening"
      await rt.logger.flush?.();
    },
    async close() {
      if (pipeline.closed) return;
      pipeline.closed = true;
      const rt = runtimes.fixed;
      if (rt === undefined) return;
      await Promise.all(rt.batteries.map((b) => b.close?.()));
      // the batched console logger writes what it still holds
      await rt.logger.flush?.();
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
  const ctor = controller.constructor;
  if (!isController(ctor)) throw new TypeError(`${ctor.name} instance: its class is not decorated with @Controller()`);
  return { ctor, instance: controller };
}
