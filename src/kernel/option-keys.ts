/**
 * Checks a nested `createApp` option's keys against the ones its battery reads: a misspelt key
 * (`monitoring: { requestlog: false }`) would otherwise be ignored without a word. Returns whether
 * `value` is an object (its keys checked); `undefined`, and a boolean where one is allowed, pass.
 * @example checkOptionKeys('metrics', { bucket: [1] }, ['registry', 'buckets'], true); // TypeError: createApp({ metrics }): unknown option "metrics.bucket" (known: registry, buckets)
 */
export function checkOptionKeys(
  name: string,
  value: unknown,
  known: readonly string[],
  booleanAllowed: boolean,
  alternative = '',
): boolean {
  const where = `createApp({ ${name.split('.')[0]} })`;
  if (value === undefined || (booleanAllowed && typeof value === 'boolean')) return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: ${name} must be ${booleanAllowed ? 'true, false or an object' : 'an object'}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`${where}: unknown option "${name}.${key}" (known: ${known.join(', ')}${alternative})`);
  }
  return true;
}
