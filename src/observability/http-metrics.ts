import { type CounterChild, DEFAULT_BUCKETS, type HistogramChild } from './metrics.ts';
import type { MetricsRegistry } from './registry.ts';

/** The `route` label of every request no route matched (404s, scanners): one series, not one per URL. */
export const UNMATCHED_ROUTE = '<unmatched>';
/** The `method` label of anything outside the standard methods. */
export const OTHER_METHOD = 'OTHER';
/** Beyond this many route labels (only reachable through a foreign handler's templates) new ones fold into UNMATCHED_ROUTE. */
const MAX_ROUTES = 1000;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', OTHER_METHOD];
const METHOD_INDEX = new Map(METHODS.map((m, i) => [m, i]));

interface Series {
  requests: CounterChild;
  duration: HistogramChild;
}

interface RouteEntry {
  label: string;
  /** Keyed by `status * 8 + method index`. */
  series: Map<number, Series>;
}

/**
 * `http_requests_total{method,route,status}` and `http_request_duration_seconds{method,route,status}`.
 * The per-request cost is two map lookups and two field updates: each (route, method, status)
 * series is created once and cached.
 * @example
 * const http = new HttpMetrics(registry);
 * http.observe('/patients/:patient_id', 'GET', 200, 0.012); // route undefined -> "<unmatched>"
 */
export class HttpMetrics {
  private readonly requests;
  private readonly duration;
  private readonly byRoute = new Map<string, RouteEntry>();
  private readonly unmatched: RouteEntry = { label: UNMATCHED_ROUTE, series: new Map() };

  constructor(registry: MetricsRegistry, buckets: readonly number[] = DEFAULT_BUCKETS) {
    this.requests = registry.counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
    });
    this.duration = registry.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving the request to a built response, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets,
    });
  }

  /** Counts one answered request; `route` is the matched template, `undefined` when none matched. */
  observe(route: string | undefined, method: string, status: number, seconds: number): void {
    const entry = route === undefined ? this.unmatched : (this.byRoute.get(route) ?? this.addRoute(route));
    const m = METHOD_INDEX.get(method) ?? 7;
    const key = status * 8 + m;
    let series = entry.series.get(key);
    if (series === undefined) {
      const labels = { method: METHODS[m], route: entry.label, status: String(status) };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      entry.series.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(seconds);
  }

  private addRoute(route: string): RouteEntry {
    if (this.byRoute.size >= MAX_ROUTES) return this.unmatched;
    const entry: RouteEntry = { label: route, series: new Map() };
    this.byRoute.set(route, entry);
    return entry;
  }
}
