import type { ConfigGroup } from '../config/env.ts';
import type { GeneralConfig } from '../config/general.ts';
import type { ParamMeta, RouteDefinition } from '../metadata/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { RequestContext } from './context.ts';
import type { AppOptions, InternalRoute, RouteStep } from './types.ts';

/** The validated configuration: `general` always, other groups when a feature asked for them. */
export interface AppConfig {
  general: GeneralConfig;
  /** Every string variable of the env, for features that read optional extras. */
  env: Readonly<Record<string, string>>;
  [group: string]: unknown;
}

/** A readiness check for `/healthcheck`. */
export interface HealthCheck {
  name: string;
  /** Milliseconds before the check counts as failed (default 2000). */
  timeoutMs?: number;
  check(): Promise<void>;
}

export interface FeatureContext {
  options: AppOptions;
  definitions: RouteDefinition[];
  config: AppConfig;
  logger: Logger;
  /** Filled by every feature before the first request; `/healthcheck` reads it. */
  healthchecks: HealthCheck[];
  /** Every route the app serves, internal ones included (filled before the first request). */
  allRoutes: { method: string; path: string; infra: boolean; definition?: RouteDefinition }[];
}

/** Per-request value for one handler argument. */
export type Extractor = (ctx: RequestContext) => unknown;

/** What a started feature contributes to one compiled app. */
export interface FeatureRuntime {
  routes?: InternalRoute[];
  /** A check run before parameter extraction (security). */
  compileRoute?(definition: RouteDefinition): RouteStep | undefined;
  /** Supplies `@User`, `@Token`, `@Db`... arguments. */
  extractor?(param: ParamMeta, definition: RouteDefinition): Extractor | undefined;
  /** After the response is final (metrics, request log). Must not throw; is guarded anyway. */
  onResponse?(ctx: RequestContext, response: Response, durationMs: number, infra: boolean): void;
  /** Warm-up run by `app.ready()` before serving (the database opens and migrates). */
  ready?(): Promise<void>;
  /** Values exposed on the App (`db`). */
  exports?: Record<string, unknown>;
  close?(): Promise<void>;
}

/**
 * A battery: security, database, observability, OpenAPI. Features only see definitions and
 * config; they never touch `Reflect` or the router.
 */
export interface Feature {
  name: string;
  /** Config groups the routes and options need (e.g. ACCEPTED_API_KEY when an @ApiKey route exists). */
  configGroups?(definitions: RouteDefinition[], options: AppOptions): ConfigGroup[];
  /** Fail fast on definitions this feature cannot serve (throw TypeError naming the route). */
  checkRoutes?(definitions: RouteDefinition[], options: AppOptions): void;
  start(context: FeatureContext): FeatureRuntime;
}
