import type { ObservabilityBatteryOptions } from './battery.ts';

// exactly what the battery reads: a key not listed here would be ignored without a word
const MONITORING_KEYS = ['version', 'requestLog', 'checks'];
const VERSION_KEYS = ['circle', 'hash', 'files'];
const FILES_KEYS = ['circle', 'hash'];
const METRICS_KEYS = ['registry', 'buckets', 'collectTimeoutMs'];

/**
 * Refuses a misspelt key in `monitoring`, `monitoring.version`, `monitoring.version.files` or
 * `metrics` when the app is created: `monitoring: { requestlog: false }` would otherwise keep logging.
 * @example checkObservabilityOptions({ monitoring: { requestlog: false } }); // TypeError: createApp({ monitoring }): unknown option "requestlog" (known: version, requestLog, checks)
 */
export function checkObservabilityOptions(options: ObservabilityBatteryOptions): void {
  const { monitoring, metrics } = options as Record<string, unknown>;
  if (checkKeys('monitoring', monitoring, MONITORING_KEYS, true)) {
    const version = (monitoring as Record<string, unknown>).version;
    if (checkKeys('monitoring.version', version, VERSION_KEYS, false)) {
      checkKeys('monitoring.version.files', (version as Record<string, unknown>).files, FILES_KEYS, false);
    }
  }
  checkKeys('metrics', metrics, METRICS_KEYS, true);
}

/** Whether `value` is an object (its keys then checked); `undefined`, and a boolean where one is allowed, pass as they are. */
function checkKeys(name: string, value: unknown, known: readonly string[], booleanAllowed: boolean): boolean {
  const where = `createApp({ ${name.split('.')[0]} })`;
  if (value === undefined || (booleanAllowed && typeof value === 'boolean')) return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: ${name} must be ${booleanAllowed ? 'true, false or an object' : 'an object'}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`${where}: unknown option "${name}.${key}" (known: ${known.join(', ')})`);
  }
  return true;
}
