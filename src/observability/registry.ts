import { PROMETHEUS_CONTENT_TYPE } from './exposition.ts';
import { Counter, Gauge, Histogram, type HistogramConfig, type MetricConfig } from './metrics.ts';

type AnyMetric = Counter | Gauge | Histogram;

export interface ScrapeOptions {
  /** Told about a metric whose `collect` hook threw or timed out (that metric is left out of this scrape). */
  onError?(metric: string, error: unknown): void;
  /** How long a `collect` hook may take before its metric is left out of this scrape (default 1000 ms). */
  collectTimeoutMs?: number;
}

/** The default bound on one `collect` hook: a hung one must not hold up every other metric. */
export const COLLECT_TIMEOUT_MS = 1000;

/**
 * `collectTimeoutMs` checked and bounded: 0, a negative number or NaN would leave every metric
 * with a hook out of every scrape, and setTimeout fires at once beyond 2^31-1 ms.
 * @example collectTimeoutOf(undefined); // 1000
 * collectTimeoutOf(0); // TypeError: metrics.collectTimeoutMs must be a finite number of milliseconds above 0 (got 0)
 */
export function collectTimeoutOf(ms: unknown): number {
  if (ms === undefined) return COLLECT_TIMEOUT_MS;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`metrics.collectTimeoutMs must be a finite number of milliseconds above 0 (got ${String(ms)})`);
  }
  return Math.min(ms, 2_147_483_647);
}

/** A hook's promise, or a rejection once `ms` have passed (the timer is cleared either way). */
function within(running: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`collect hook did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([running, late]).finally(() => clearTimeout(timer));
}

/** Every name a metric writes: a histogram's samples are `_bucket`, `_sum` and `_count`. */
function namesOf(type: AnyMetric['type'], name: string): string[] {
  return type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/**
 * A set of metrics rendered together at `/metrics`. Web-standard (no prom-client, no Node APIs).
 * Every app gets its own unless you pass one (`createApp({ metrics: { registry } })`); on Workers
 * each isolate keeps its own registry, so counts are per isolate.
 * @example
 * const registry = new MetricsRegistry();
 * const signups = registry.counter({ name: 'signups_total', help: 'Accounts created', labelNames: ['plan'] });
 * const app = createApp({ controllers, metrics: { registry } });
 * signups.inc({ plan: 'free' });
 */
export class MetricsRegistry {
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  private readonly metrics = new Map<string, AnyMetric>();
  /** The pending call of each metric's hook, shared by every scrape until it settles. */
  private readonly collecting = new Map<AnyMetric, Promise<unknown>>();

  /** Registers a counter, or returns the one already registered under that name with the same labels. */
  counter<L extends string = string>(config: MetricConfig<L>): Counter<L> {
    return this.add(config, 'counter', () => new Counter<L>(config)) as Counter<L>;
  }

  gauge<L extends string = string>(config: MetricConfig<L>): Gauge<L> {
    return this.add(config, 'gauge', () => new Gauge<L>(config)) as Gauge<L>;
  }

  histogram<L extends string = string>(config: HistogramConfig<L>): Histogram<L> {
    return this.add(config, 'histogram', () => new Histogram<L>(config)) as Histogram<L>;
  }

  /** The metric registered under `name`, if any. */
  get(name: string): AnyMetric | undefined {
    return this.metrics.get(name);
  }

  /** Removes one metric (or all when no name is given). */
  remove(name?: string): void {
    const gone = name === undefined ? [...this.metrics.values()] : [this.metrics.get(name)];
    for (const metric of gone) if (metric !== undefined) this.collecting.delete(metric);
    if (name === undefined) this.metrics.clear();
    else this.metrics.delete(name);
  }

  /** Zeroes every series of every metric; registrations stay (tests call this between cases). */
  reset(): void {
    for (const metric of this.metrics.values()) metric.reset();
  }

  /**
   * The whole registry in text format 0.0.4, after running every `collect` hook, together, each
   * bounded by `collectTimeoutMs`: a hook that throws or hangs leaves only its own metric out.
   * A hook still running from an earlier scrape is awaited again, not called again.
   */
  async scrape(options: ScrapeOptions = {}): Promise<string> {
    const metrics = [...this.metrics.values()];
    const ms = collectTimeoutOf(options.collectTimeoutMs);
    const failed = new Set<AnyMetric>();
    await Promise.all(
      metrics.map(async (metric) => {
        const hook = metric.collect;
        if (hook === undefined) return;
        try {
          await within(this.collectOnce(metric, hook), ms);
        } catch (error) {
          failed.add(metric);
          options.onError?.(metric.name, error);
        }
      }),
    );
    let out = '';
    for (const metric of metrics) if (!failed.has(metric)) out += metric.write();
    return out;
  }

  /** One call of the hook at a time: a hung hook or concurrent scrapes must not pile calls up. */
  private collectOnce(metric: AnyMetric, hook: () => unknown): Promise<unknown> {
    let running = this.collecting.get(metric);
    if (running === undefined) {
      const call: Promise<unknown> = Promise.resolve()
        .then(() => hook.call(metric))
        .finally(() => {
          if (this.collecting.get(metric) === call) this.collecting.delete(metric);
        });
      running = call;
      this.collecting.set(metric, call);
    }
    return running;
  }

  private add(config: MetricConfig, type: AnyMetric['type'], make: () => AnyMetric): AnyMetric {
    const existing = this.metrics.get(config.name);
    if (existing !== undefined) {
      const labels = [...(config.labelNames ?? [])];
      if (existing.type !== type || existing.labelNames.join() !== labels.join()) {
        throw new TypeError(
          `Metric ${config.name} is already registered as a ${existing.type} with labels [${existing.labelNames.join(', ')}]`,
        );
      }
      return existing;
    }
    // `x_count` next to a histogram `x` would give /metrics two HELP lines for one name
    const names = namesOf(type, config.name);
    for (const other of this.metrics.values()) {
      const shared = namesOf(other.type, other.name).find((n) => names.includes(n));
      if (shared !== undefined) {
        throw new TypeError(
          `Metric ${config.name} (${type}) and metric ${other.name} (${other.type}) would both write series named ${shared}: duplicated timeseries`,
        );
      }
    }
    const metric = make();
    this.metrics.set(config.name, metric);
    return metric;
  }
}
