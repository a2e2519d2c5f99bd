// Prometheus text exposition format 0.0.4: the few escaping and formatting rules, in one place.

/** The `Content-Type` of a 0.0.4 text exposition. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws a TypeError naming the metric when `name` is not a valid Prometheus metric name. */
export function checkMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) throw new TypeError(`Invalid metric name "${name}": must match ${METRIC_NAME.source}`);
}

/** Throws when a label name is invalid or reserved (`__` prefix, `le` on histograms). */
export function checkLabelName(metric: string, label: string, reserved: readonly string[] = []): void {
  if (!LABEL_NAME.test(label) || label.startsWith('__')) {
    throw new TypeError(`Metric ${metric}: invalid label name "${label}"`);
  }
  if (reserved.includes(label)) throw new TypeError(`Metric ${metric}: label name "${label}" is reserved`);
}

/** HELP text: only backslash and line feed are escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Label values: backslash, double quote and line feed; nothing else (`\\r` is an invalid escape for expfmt). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `a="x",b="y"` for the given names and values (no braces), escaped once when a series is created. */
export function renderLabels(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += `${names[i]}="${escapeLabelValue(values[i])}"`;
  }
  return out;
}

/** A sample value as Go's ParseFloat reads it. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** `name{labels} value` (no braces when there are no labels). */
export function sampleLine(name: string, labels: string, value: number): string {
  return labels === '' ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`;
}
