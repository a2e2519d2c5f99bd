import type { Battery, BatteryContext, BatteryRuntime, CoreConfig, CoreOptions, HealthCheck, InternalRoute } from '../kernel/battery.ts';
import { CLIENT_CLOSED_STATUS } from '../kernel/client-abort.ts';
import { type RequestContext, stateOf } from '../kernel/context.ts';
import { standardHeaders } from '../kernel/headers.ts';
import { platform } from '../kernel/platform.ts';
import { respond } from '../kernel/respond.ts';
import { checkObservabilityOptions } from './check-options.ts';
import { healthRunner } from './healthcheck.ts';
import { HttpMetrics } from './http-metrics.ts';
import { MetricsRegistry } from './registry.ts';
import { requestLogger } from './request-log.ts';

/** `createApp({ monitoring })`: `false` drops `/running`, `/version` and `/healthcheck`. */
export interface MonitoringOptions {
  /**
   * Build identifiers for `/version`. Each comes from the first non-blank of: this option, the env
   * (`BUILD_NUMBER`/`CIRCLE_BUILD_NUM`, `GIT_HASH`/`GIT_COMMIT`), the build file, `"unknown"`.
   */
  version?: {
    circle?: string;
    hash?: string;
    /** Where the build files are (default `/app/build-circleci.txt`, `/app/build-githash.txt`, as the Python package). */
    files?: { circle?: string; hash?: string };
  };
  /** One JSON log line per request (default true). */
  requestLog?: boolean;
  /** Your own readiness checks for `/healthcheck` (a cache, a queue, an upstream API). */
  checks?: HealthCheck[];
}

/** `createApp({ metrics })`: `false` drops `/metrics` and all collection. */
export interface MetricsOptions {
  /** Your registry, to add your own metrics next to the HTTP ones; default a new one per app. */
  registry?: MetricsRegistry;
  /** Upper bounds (seconds) of `http_request_duration_seconds`. */
  buckets?: readonly number[];
  /** How long one `collect` hook may take before `/metrics` leaves its metric out and logs it (default 1000 ms). */
  collectTimeoutMs?: number;
}

/** The `createApp` options the observability battery reads. */
export interface ObservabilityBatteryOptions {
  monitoring?: boolean | MonitoringOptions;
  metrics?: boolean | MetricsOptions;
}

/** `app.metrics`. */
export interface ObservabilityExports {
  metrics?: MetricsRegistry;
}

type ObservabilityOptions = CoreOptions & ObservabilityBatteryOptions;

const JSON_HEADERS = { 'content-type': 'application/json' };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/**
 * A fixed JSON body with every standard header given at construction: decorating a finished
 * Response afterwards (five `headers.set`) costs Bun and Node more than the probe itself.
 */
function probeJson(ctx: RequestContext, text: string): Response {
  const headers = standardHeaders(ctx, undefined);
  headers['content-type'] = 'application/json';
  // monitoring probes are left out of the request log, so their text is not kept for its size
  stateOf(ctx).headersDone = true;
  return respond(text, 200, headers);
}

const RUNNING = JSON.stringify({ running: true });

/** The Python package's build files, read when neither code nor env names the build. */
export const BUILD_FILES: Readonly<{ circle: string; hash: string }> = Object.freeze({
  circle: '/app/build-circleci.txt',
  hash: '/app/build-githash.txt',
});

/**
 * Python parity: the build number and git hash, each from the first non-blank of the option, the
 * env, the build file (where a file system exists), else `"unknown"`; values trimmed. Reads files
 * synchronously: the battery calls it once, at the first `/version`. `read` replaces the file reader (tests).
 * @example versionInfo({ BUILD_NUMBER: ' 1234\n', GIT_HASH: '' }, undefined, () => undefined); // { circle: '1234', hash: 'unknown' }
 */
export function versionInfo(
  env: Readonly<Record<string, string>>,
  option: MonitoringOptions['version'],
  read: (path: string) => string | undefined = (path) => platform().readTextFile(path),
): { circle: string; hash: string } {
  const pick = (given: unknown[], file: string): string => {
    for (const value of given) {
      const text = nonBlank(value);
      if (text !== undefined) return text;
    }
    // only touch the file system when nothing else answered
    return nonBlank(read(file)) ?? 'unknown';
  };
  return {
    circle: pick([option?.circle, env.BUILD_NUMBER, env.CIRCLE_BUILD_NUM], option?.files?.circle ?? BUILD_FILES.circle),
    hash: pick([option?.hash, env.GIT_HASH, env.GIT_COMMIT], option?.files?.hash ?? BUILD_FILES.hash),
  };
}

/** A blank value (an unset CI variable exported as '') says nothing: the next source answers. */
function nonBlank(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * The observability battery: `/running`, `/version`, `/healthcheck`, `/metrics`,
 * `http_requests_total` / `http_request_duration_seconds` and one log line per request.
 * `testing: true` leaves out the four routes and the metrics (the request log stays).
 * @example createApp({ controllers, metrics: { registry }, monitoring: { version: { circle: '42', hash: 'abc1234' } } });
 */
export function observabilityBattery(): Battery<ObservabilityOptions, CoreConfig, ObservabilityExports> {
  return {
    name: 'observability',
    optionNames: ['monitoring', 'metrics'],
    // at createApp, even on Workers (no env yet) and with testing: true: misspelt keys, a bad collectTimeoutMs
    checkRoutes(_definitions, options) {
      checkObservabilityOptions(options);
    },
    start(context: BatteryContext<ObservabilityOptions>): BatteryRuntime<ObservabilityExports> {
      const { options, logger } = context;
      const testing = options.testing === true;
      const monitoring: MonitoringOptions = typeof options.monitoring === 'object' ? options.monitoring : {};
      const metricsOptions: MetricsOptions = typeof options.metrics === 'object' ? options.metrics : {};
      const monitoringOn = !testing && options.monitoring !== false;
      const metricsOn = !testing && options.metrics !== false;

      const routes: InternalRoute[] = [];
      if (monitoringOn) {
        const checks = context.healthchecks;
        checks.push(...(monitoring.checks ?? []));
        // read at the first /version, not at start: a missing build file costs Deno an exception
        // (≈ 0.8 ms of every cold start), and most instances are never asked
        let versionBody: string | undefined;
        const version = () => (versionBody ??= JSON.stringify(versionInfo(context.config.env, monitoring.version)));
        // the checks so far; createApp checks the whole list once every battery has added its own
        const health = healthRunner(checks, logger);
        routes.push(
          { method: 'GET', path: '/running', infra: true, handler: (ctx) => probeJson(ctx, RUNNING) },
          { method: 'GET', path: '/version', infra: true, handler: (ctx) => probeJson(ctx, version()) },
          {
            method: 'GET',
            path: '/healthcheck',
            infra: true,
            handler: async () => {
              const report = await health();
              return json(report, report.status === 'ok' ? 200 : 503);
            },
          },
        );
      }

      const registry = metricsOptions.registry ?? new MetricsRegistry();
      const http = metricsOn ? new HttpMetrics(registry, metricsOptions.buckets) : undefined;
      if (metricsOn) {
        const onError = (metric: string, error: unknown) => logger.warn('metric collect hook failed', { metric, error: String(error) });
        routes.push({
          method: 'GET',
          path: '/metrics',
          infra: true,
          handler: async () =>
            new Response(await registry.scrape({ onError, collectTimeoutMs: metricsOptions.collectTimeoutMs }), {
              headers: { 'content-type': registry.contentType },
            }),
        });
      }

      const log = monitoring.requestLog === false ? undefined : requestLogger(logger);
      const runtime: BatteryRuntime<ObservabilityExports> = { routes, exports: { metrics: registry } };
      if (http !== undefined || log !== undefined) {
        runtime.onResponse = (ctx: RequestContext, response: Response, ms: number, infra: boolean) => {
          // monitoring probes and scrapes would drown the service's own traffic
          if (infra) return;
          if (http !== undefined) {
            try {
              http.observe(ctx.route, ctx.request.method, stateOf(ctx).clientClosed ? CLIENT_CLOSED_STATUS : response.status, ms / 1000);
            } catch {
              // a metrics failure must not cost the request log, nor the response
            }
          }
          if (log !== undefined) {
            try {
              log(ctx, response, ms);
            } catch {
              // the logger is guarded already; this covers building the line
            }
          }
        };
      }
      return runtime;
    },
  };
}
