/**
 * A deep copy with every object's keys in code-point order, so the same app always serialises
 * to the same bytes (a committed `openapi.yaml` diffs cleanly). Array order is meaning: kept.
 * `first` lists keys placed ahead of the rest at the top level (`openapi`, `info`, ...).
 */
export function sortKeys<T>(value: T, first: readonly string[] = []): T {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort((a, b) => rank(a, first) - rank(b, first) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    // a schema property may be called `__proto__`: define it, never set the prototype
    Object.defineProperty(out, key, { value: sortKeys(record[key]), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

function rank(key: string, first: readonly string[]): number {
  const i = first.indexOf(key);
  return i < 0 ? first.length : i;
}
