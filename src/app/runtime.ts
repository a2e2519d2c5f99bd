import { createErrorMapper, type ErrorClass, type ErrorHandler, type MappedError } from '../errors/mapper.ts';
import type { Battery, BatteryContext, BatteryRuntime, HealthCheck } from '../kernel/battery.ts';
import { type EnvSource, loadGroups, stringEnv, withTestingCredentials } from '../kernel/config/env.ts';
import { generalGroup } from '../kernel/config/general.ts';
import type { RequestContext } from '../kernel/context.ts';
import type { RouteDefinition } from '../kernel/definitions.ts';
import type { Logger } from '../kernel/logger.ts';
// the runtime's side of the kernel's platform port, installed as this module loads (every app passes here)
import '../adapters/platform.ts';
import { platform } from '../kernel/platform.ts';
import { assertUniqueChecks } from '../observability/healthcheck.ts';
import { consoleJsonLogger, guardLogger } from '../observability/logger.ts';
import { RouteTable } from '../routing/router.ts';
import { type CompiledRoute, compileInternal, compileRoute } from './compile-route.ts';
import type { AppConfig, AppExports, AppOptions } from './options.ts';

/** A battery an app can run: it reads (part of) AppOptions and AppConfig, and exposes (part of) AppExports. */
export type AppBattery = Battery<AppOptions, AppConfig, AppExports>;

/** What an app is made of before any env is known. */
export interface AppParts {
  options: AppOptions;
  definitions: RouteDefinition[];
  instances: { ctor: Function; instance: object }[];
  batteries: AppBattery[];
  errorHandlers: Map<ErrorClass, ErrorHandler>;
}

type Observer = (ctx: RequestContext, response: Response, ms: number, infra: boolean) => void;

/** One app compiled against one env: config, route table, logger, error mapper, started batteries. */
export interface Runtime {
  config: AppConfig;
  /** The env this runtime was built from (what `ctx.env` shows). */
  sourceEnv: Record<string, unknown>;
  table: RouteTable<CompiledRoute>;
  logger: Logger;
  mapError: (error: unknown, ctx: RequestContext | undefined) => MappedError;
  onResponse: Observer | undefined;
  batteries: BatteryRuntime<AppExports>[];
  exports: AppExports;
  maxBodyBytes: number;
}

/**
 * The runtimes of one app: one for the process env (built at `createApp`, so bad config fails
 * fast), or, on Workers, one per `env` object (its bindings arrive with the first request). A
 * config that fails to load for an env fails every request of that env the same way.
 */
export class RuntimeCache {
  /** The runtime of the process env (or of `options.env`); `app.config` and `app.db` read it. */
  fixed: Runtime | undefined;
  readonly #parts: AppParts;
  readonly #perEnv = new WeakMap<object, Runtime>();
  readonly #failed = new WeakMap<object, unknown>();

  constructor(parts: AppParts) {
    this.#parts = parts;
    const startupEnv = parts.options.env ?? platform().env();
    if (startupEnv !== undefined) this.fixed = buildRuntime(startupEnv, parts);
  }

  /** `bindings`: the Workers env of this request (`workersEnv(envArg)`), when there is one. */
  for(bindings: Record<string, unknown> | undefined): Runtime {
    if (bindings !== undefined && this.#parts.options.env === undefined) {
      let rt = this.#perEnv.get(bindings);
      if (rt === undefined) {
        if (this.#failed.has(bindings)) throw this.#failed.get(bindings);
        try {
          rt = buildRuntime(bindings, this.#parts);
        } catch (error) {
          this.#failed.set(bindings, error);
          throw error;
        }
        this.#perEnv.set(bindings, rt);
      }
      return rt;
    }
    this.fixed ??= buildRuntime({}, this.#parts);
    return this.fixed;
  }

  /** After `app.onError`: mappers memoise their lookups, so the fixed one is rebuilt. */
  remap(): void {
    const rt = this.fixed;
    if (rt !== undefined) rt.mapError = makeMapper(rt.config, rt.logger, this.#parts);
  }
}

function makeMapper(config: AppConfig, logger: Logger, parts: AppParts) {
  return createErrorMapper({
    production: config.general.production,
    format: parts.options.errorFormat ?? 'json',
    logger,
    handlers: parts.errorHandlers,
  });
}

/** Several observers as one; a broken one does not cost the others (metrics, the request log). */
function observeAll(observers: Observer[]): Observer | undefined {
  if (observers.length <= 1) return observers[0];
  return (ctx, res, ms, infra) => {
    for (const o of observers) {
      try {
        o(ctx, res, ms, infra);
      } catch {
        // guarded: the next observer still runs
      }
    }
  };
}

/** Loads the config groups every battery asks for, starts the batteries and compiles every route. */
export function buildRuntime(source: EnvSource, parts: AppParts): Runtime {
  const { options, definitions, batteries } = parts;
  const env = withTestingCredentials(stringEnv(source), options.testing);
  const groups = [generalGroup, ...batteries.flatMap((b) => b.configGroups?.(definitions, options) ?? [])];
  const unique = [...new Map(groups.map((g) => [g.name, g])).values()];
  // loadGroups validated each group with its own schema: the record has the shape AppConfig names
  const config = { ...loadGroups(env, unique), env } as AppConfig;
  const logger = guardLogger(options.logger ?? consoleJsonLogger(config.general.LOG_LEVEL));
  const healthchecks: HealthCheck[] = [];
  const allRoutes: BatteryContext['allRoutes'] = [];
  const context: BatteryContext<AppOptions, AppConfig> = { options, definitions, config, logger, healthchecks, allRoutes };
  const started = batteries.map((b) => b.start(context));
  // every battery has registered its readiness checks now: one name each, or one hides another
  assertUniqueChecks(healthchecks);

  const table = new RouteTable<CompiledRoute>();
  const instanceOf = new Map(parts.instances.map((i) => [i.ctor, i.instance]));
  for (const definition of definitions) {
    const instance = instanceOf.get(definition.controller);
    if (instance === undefined) throw new TypeError(`${definition.controllerName}: no instance for the controller`);
    table.add(definition.method, definition.path, compileRoute(definition, instance, started));
    allRoutes.push({ method: definition.method, path: definition.path, infra: false, definition });
  }
  for (const route of started.flatMap((b) => b.routes ?? [])) {
    table.add(route.method, route.path, compileInternal(route));
    allRoutes.push({ method: route.method, path: route.path, infra: route.infra });
  }
  const exports: AppExports = {};
  for (const b of started) Object.assign(exports, b.exports);
  return {
    config,
    sourceEnv: source,
    table,
    logger,
    mapError: makeMapper(config, logger, parts),
    onResponse: observeAll(started.flatMap((b) => (b.onResponse ? [b.onResponse.bind(b)] : []))),
    batteries: started,
    exports,
    maxBodyBytes: config.general.MAX_BODY_BYTES,
  };
}
