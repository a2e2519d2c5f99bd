import type { ConfigGroup, EnvSource } from './config/env.ts';
import type { GeneralConfig } from './config/general.ts';
import type { RequestContext } from './context.ts';
import type { ParamMeta, RouteDefinition } from './definitions.ts';
import type { ErrorFormat } from './http-errors.ts';
import type { Logger } from './logger.ts';

/** The `createApp` options every battery may read; each battery adds its own (`database`, `jwt`, ...). */
export interface CoreOptions {
  /** Controller classes (zero-argument constructor) or ready-made instances (constructor injection). */
  controllers?: (Function | object)[];
  title?: string;
  version?: string;
  description?: string;
  /** The environment; defaults to the runtime's process environment, or the Workers `env` argument. */
  env?: EnvSource;
  /** As Python `create_app(testing=True)`: no monitoring routes, no metrics, no docs routes. */
  testing?: boolean;
  logger?: Logger;
  /** `json` (`{"message": ...}`, the default) or `problem` (RFC 9457 `application/problem+json`). */
  errorFormat?: ErrorFormat;
  /** Longest accepted request path (414 beyond); default 2048. */
  maxPathLength?: number;
}

/** The configuration every app has; each battery's config groups add a named member (`jwt`, `database`, ...). */
export interface CoreConfig {
  general: GeneralConfig;
  /** Every string variable of the env, for batteries that read optional extras. */
  env: Readonly<Record<string, string>>;
}

/** A readiness check for `/healthcheck`. */
export interface HealthCheck {
  name: string;
  /** Milliseconds before the check counts as failed (default 2000). */
  timeoutMs?: number;
  check(): Promise<void>;
}

/** A route the framework itself serves (`/running`, `/metrics`, `/openapi.json`, ...). */
export interface InternalRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (ctx: RequestContext) => Response | Promise<Response>;
  /** Monitoring routes stay out of metrics and request logs. */
  infra: boolean;
}

/** A compiled check that runs before parameter extraction; throws an HttpError to refuse. */
export type RouteStep = (ctx: RequestContext) => void | Promise<void>;

/** Per-request value for one handler argument. */
export type Extractor = (ctx: RequestContext) => unknown;

/** One route the app serves, internal ones included. */
export interface ServedRoute {
  method: string;
  path: string;
  infra: boolean;
  definition?: RouteDefinition;
}

/** What a battery sees when it starts: the options, the routes and the validated config of one app. */
export interface BatteryContext<O extends CoreOptions = CoreOptions, C extends CoreConfig = CoreConfig> {
  options: O;
  definitions: RouteDefinition[];
  config: C;
  logger: Logger;
  /** Filled by every battery before the first request; `/healthcheck` reads it. */
  healthchecks: HealthCheck[];
  /** Every route the app serves, internal ones included (filled before the first request). */
  allRoutes: ServedRoute[];
}

/** What a started battery contributes to one compiled app. */
export interface BatteryRuntime<E extends object = {}> {
  routes?: InternalRoute[];
  /** The check this battery runs on a route before its arguments are extracted (security). */
  routeStep?(definition: RouteDefinition): RouteStep | undefined;
  /** Supplies `@User`, `@Token`, `@Db`... arguments. */
  extractor?(param: ParamMeta, definition: RouteDefinition): Extractor | undefined;
  /** After the response is final (metrics, request log). Must not throw; is guarded anyway. */
  onResponse?(ctx: RequestContext, response: Response, durationMs: number, infra: boolean): void;
  /** Warm-up run by `app.ready()` before serving (the database opens and migrates). */
  ready?(): Promise<void>;
  /** Values the App exposes (`app.db`, `app.metrics`, `app.openapi()`). */
  exports?: E;
  close?(): Promise<void>;
}

/**
 * A battery: security, database, observability, OpenAPI, or your own. A battery sees route
 * definitions, options and config; it never touches `Reflect` or the router. `O` and `C` are the
 * options and config it reads, `E` what it exposes on the App.
 */
export interface Battery<O extends CoreOptions = CoreOptions, C extends CoreConfig = CoreConfig, E extends object = {}> {
  name: string;
  /** The `createApp` options this battery reads, beyond the core ones: an option no battery of the app declares is refused. */
  optionNames?: readonly string[];
  /** Config groups the routes and options need (e.g. ACCEPTED_API_KEY when an @ApiKey route exists). */
  configGroups?(definitions: RouteDefinition[], options: O): ConfigGroup[];
  /** Fail fast on definitions this battery cannot serve (throw TypeError naming the route). */
  checkRoutes?(definitions: RouteDefinition[], options: O): void;
  start(context: BatteryContext<O, C>): BatteryRuntime<E>;
}
