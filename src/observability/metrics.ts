import { checkLabelName, checkMetricName, escapeHelp, formatValue, renderLabels, sampleLine } from './exposition.ts';

export type MetricType = 'counter' | 'gauge' | 'histogram';
/** Label values by label name; numbers are written as strings. */
export type LabelValues<L extends string = string> = Partial<Record<L, string | number>>;

export interface MetricConfig<L extends string = string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Called before every scrape (set gauges from a pool, a queue...); a throw leaves this metric out of that scrape. */
  collect?: () => void | Promise<void>;
}

export interface HistogramConfig<L extends string = string> extends MetricConfig<L> {
  /** Upper bounds in ascending order; `+Inf` is implicit. */
  buckets?: readonly number[];
}

/** Seconds: from 5 ms to 10 s, the prom-client defaults. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const SEP = '\u0000';

/** The parts Counter, Gauge and Histogram share: a name, help, label names and one series per label set. */
abstract class Metric<L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  abstract readonly type: MetricType;
  readonly collect: (() => void | Promise<void>) | undefined;
  protected readonly series: Map<string, { labels: string; cell: S }> = new Map();

  constructor(config: MetricConfig<L>, reserved: readonly string[] = []) {
    checkMetricName(config.name);
    if (typeof config.help !== 'string' || config.help === '') throw new TypeError(`Metric ${config.name}: help text is required`);
    this.name = config.name;
    this.help = config.help;
    this.labelNames = [...(config.labelNames ?? [])];
    for (const label of this.labelNames) checkLabelName(config.name, label, reserved);
    if (new Set(this.labelNames).size !== this.labelNames.length) throw new TypeError(`Metric ${config.name}: duplicate label names`);
    this.collect = config.collect;
  }

  protected abstract newCell(): S;

  /** The series for one label set, created on first use (cache it: the lookup is the costly part). */
  protected cell(values: LabelValues<L> | undefined): S {
    const names = this.labelNames;
    if (names.length === 0) {
      if (values !== undefined && Object.keys(values).length > 0) throw new TypeError(`Metric ${this.name} has no labels`);
      return this.lookup('', names, []);
    }
    if (values === undefined) throw new TypeError(`Metric ${this.name}: labels ${names.join(', ')} are required`);
    for (const key of Object.keys(values)) {
      if (!names.includes(key as L)) throw new TypeError(`Metric ${this.name}: unknown label "${key}"`);
    }
    const strings = names.map((n) => {
      const v = values[n];
      if (v === undefined) throw new TypeError(`Metric ${this.name}: label "${n}" is missing`);
      return String(v);
    });
    return this.lookup(strings.join(SEP), names, strings);
  }

  private lookup(key: string, names: readonly string[], values: string[]): S {
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels: renderLabels(names, values), cell: this.newCell() };
      this.series.set(key, entry);
    }
    return entry.cell;
  }

  /** Zeroes every series in place (children handed out by `labels()` stay valid). */
  reset(): void {
    for (const entry of this.series.values()) this.zero(entry.cell);
  }

  protected abstract zero(cell: S): void;

  /** `# HELP`, `# TYPE` and the samples in text format 0.0.4. */
  write(): string {
    // a metric without labels has one series, shown at 0 before its first use (as prom-client does)
    if (this.labelNames.length === 0 && this.series.size === 0) this.cell(undefined);
    let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
    for (const { labels, cell } of this.series.values()) out += this.samples(labels, cell);
    return out;
  }

  protected abstract samples(labels: string, cell: S): string;
}

interface ValueCell {
  value: number;
}

/** A child bound to one label set: `inc()` is a field update. */
export interface CounterChild {
  inc(amount?: number): void;
}

/**
 * A monotonically increasing count (name it `..._total`).
 * @example
 * const jobs = registry.counter({ name: 'jobs_processed_total', help: 'Jobs processed', labelNames: ['queue'] });
 * jobs.inc({ queue: 'email' });
 */
export class Counter<L extends string = string> extends Metric<L, ValueCell> {
  readonly type = 'counter';
  protected newCell(): ValueCell {
    return { value: 0 };
  }
  /** `inc()`, `inc(5)`, `inc({ queue: 'email' })` or `inc({ queue: 'email' }, 5)`. */
  inc(labelsOrAmount?: LabelValues<L> | number, amount?: number): void {
    const labels = typeof labelsOrAmount === 'object' ? labelsOrAmount : undefined;
    const by = typeof labelsOrAmount === 'number' ? labelsOrAmount : (amount ?? 1);
    incCounter(this.name, this.cell(labels), by);
  }
  /** The series for one label set, for hot paths. */
  labels(values: LabelValues<L>): CounterChild {
    const cell = this.cell(values);
    return { inc: (by = 1) => incCounter(this.name, cell, by) };
  }
  protected zero(cell: ValueCell): void {
    cell.value = 0;
  }
  protected samples(labels: string, cell: ValueCell): string {
    return sampleLine(this.name, labels, cell.value);
  }
}

function incCounter(name: string, cell: ValueCell, by: number): void {
  if (!(by >= 0)) throw new RangeError(`Counter ${name} can only increase (got ${by})`);
  cell.value += by;
}

export interface GaugeChild {
  set(value: number): void;
  inc(amount?: number): void;
  dec(amount?: number): void;
}

/**
 * A value that goes up and down.
 * @example
 * const depth = registry.gauge({ name: 'queue_depth', help: 'Jobs waiting', collect: () => depth.set(queue.length) });
 */
export class Gauge<L extends string = string> extends Metric<L, ValueCell> {
  readonly type = 'gauge';
  protected newCell(): ValueCell {
    return { value: 0 };
  }
  set(value: number): void;
  set(labels: LabelValues<L>, value: number): void;
  set(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'number') this.cell(undefined).value = labelsOrValue;
    // `set(labels)` would otherwise quietly write 0
    else if (typeof value !== 'number') throw new TypeError(`Gauge ${this.name}: set(labels, value) needs the value`);
    else this.cell(labelsOrValue).value = value;
  }
  inc(labelsOrAmount?: LabelValues<L> | number, amount?: number): void {
    const labels = typeof labelsOrAmount === 'object' ? labelsOrAmount : undefined;
    this.cell(labels).value += typeof labelsOrAmount === 'number' ? labelsOrAmount : (amount ?? 1);
  }
  dec(labelsOrAmount?: LabelValues<L> | number, amount?: number): void {
    const labels = typeof labelsOrAmount === 'object' ? labelsOrAmount : undefined;
    this.cell(labels).value -= typeof labelsOrAmount === 'number' ? labelsOrAmount : (amount ?? 1);
  }
  labels(values: LabelValues<L>): GaugeChild {
    const cell = this.cell(values);
    return {
      set: (v) => {
        cell.value = v;
      },
      inc: (by = 1) => {
        cell.value += by;
      },
      dec: (by = 1) => {
        cell.value -= by;
      },
    };
  }
  protected zero(cell: ValueCell): void {
    cell.value = 0;
  }
  protected samples(labels: string, cell: ValueCell): string {
    return sampleLine(this.name, labels, cell.value);
  }
}

interface HistogramCell {
  /** Per-bucket (not cumulative) counts; the last slot is `+Inf`. */
  counts: Float64Array;
  sum: number;
  count: number;
}

export interface HistogramChild {
  observe(value: number): void;
}

/**
 * Observations counted into buckets, with `_bucket{le=...}`, `_sum` and `_count`.
 * @example
 * const took = registry.histogram({ name: 'render_seconds', help: 'PDF render time', buckets: [0.1, 1, 10] });
 * took.observe(0.42);
 */
export class Histogram<L extends string = string> extends Metric<L, HistogramCell> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  private readonly bucketLabels: string[];

  constructor(config: HistogramConfig<L>) {
    super(config, ['le']);
    const buckets = [...(config.buckets ?? DEFAULT_BUCKETS)].filter((b) => b !== Number.POSITIVE_INFINITY);
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw new TypeError(`Histogram ${config.name}: buckets must be finite and strictly increasing`);
      }
    }
    this.buckets = buckets;
    this.bucketLabels = [...buckets.map(formatValue), '+Inf'];
  }
  protected newCell(): HistogramCell {
    return { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
  }
  observe(value: number): void;
  observe(labels: LabelValues<L>, value: number): void;
  observe(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'number') observeInto(this.buckets, this.cell(undefined), labelsOrValue);
    // `observe(labels)` would otherwise quietly record nothing
    else if (typeof value !== 'number') throw new TypeError(`Histogram ${this.name}: observe(labels, value) needs the value`);
    else observeInto(this.buckets, this.cell(labelsOrValue), value);
  }
  labels(values: LabelValues<L>): HistogramChild {
    const cell = this.cell(values);
    const buckets = this.buckets;
    return { observe: (v) => observeInto(buckets, cell, v) };
  }
  protected zero(cell: HistogramCell): void {
    cell.counts.fill(0);
    cell.sum = 0;
    cell.count = 0;
  }
  protected samples(labels: string, cell: HistogramCell): string {
    const prefix = labels === '' ? '' : `${labels},`;
    let out = '';
    let cumulative = 0;
    for (let i = 0; i < cell.counts.length; i++) {
      cumulative += cell.counts[i];
      out += `${this.name}_bucket{${prefix}le="${this.bucketLabels[i]}"} ${formatValue(cumulative)}\n`;
    }
    out += sampleLine(`${this.name}_sum`, labels, cell.sum);
    out += sampleLine(`${this.name}_count`, labels, cell.count);
    return out;
  }
}

function observeInto(buckets: readonly number[], cell: HistogramCell, value: number): void {
  // NaN would poison _sum forever
  if (Number.isNaN(value)) return;
  let i = 0;
  while (i < buckets.length && value > buckets[i]) i++;
  cell.counts[i]++;
  cell.sum += value;
  cell.count++;
}
