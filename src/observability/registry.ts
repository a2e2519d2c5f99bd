import { PROMETHEUS_CONTENT_TYPE } from './exposition.ts';
import { Counter, Gauge, Histogram, type HistogramConfig, type MetricConfig } from './metrics.ts';

type AnyMetric = Counter | Gauge | Histogram;

export interface ScrapeOptions {
  /** Told about a metric whose `collect` hook threw (that metric is left out of this scrape). */
  onError?(metric: string, error: unknown): void;
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
    if (name === undefined) this.metrics.clear();
    else this.metrics.delete(name);
  }

  /** Zeroes every series of every metric; registrations stay (tests call this between cases). */
  reset(): void {
    for (const metric of this.metrics.values()) metric.reset();
  }

  /** The whole registry in text format 0.0.4, after running every `collect` hook. */
  async scrape(options: ScrapeOptions = {}): Promise<string> {
    let out = '';
    for (const metric of this.metrics.values()) {
      if (metric.collect !== undefined) {
        try {
          await metric.collect();
        } catch (error) {
          options.onError?.(metric.name, error);
          continue;
        }
      }
      out += metric.write();
    }
    return out;
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
    const metric = make();
    this.metrics.set(config.name, metric);
    return metric;
  }
}
