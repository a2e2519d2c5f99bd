import { checkOptionKeys } from '../kernel/option-keys.ts';
import type { ObservabilityBatteryOptions } from './battery.ts';
import { collectTimeoutOf } from './registry.ts';

// exactly what the battery reads: a key not listed here would be ignored without a word
const MONITORING_KEYS = ['version', 'requestLog', 'checks'];
const VERSION_KEYS = ['circle', 'hash', 'files'];
const FILES_KEYS = ['circle', 'hash'];
const METRICS_KEYS = ['registry', 'buckets', 'collectTimeoutMs'];

/**
 * Refuses a misspelt key in `monitoring`, `monitoring.version`, `monitoring.version.files` or
 * `metrics` when the app is created: `monitoring: { requestlog: false }` would otherwise keep logging;
 * and a `metrics.collectTimeoutMs` that would leave every hooked metric out of every scrape.
 * @example checkObservabilityOptions({ monitoring: { requestlog: false } }); // TypeError: createApp({ monitoring }): unknown option "monitoring.requestlog" (known: version, requestLog, checks)
 */
export function checkObservabilityOptions(options: ObservabilityBatteryOptions): void {
  const { monitoring, metrics } = options as Record<string, unknown>;
  if (checkOptionKeys('monitoring', monitoring, MONITORING_KEYS, true)) {
    const version = (monitoring as Record<string, unknown>).version;
    if (checkOptionKeys('monitoring.version', version, VERSION_KEYS, false)) {
      checkOptionKeys('monitoring.version.files', (version as Record<string, unknown>).files, FILES_KEYS, false);
    }
  }
  if (checkOptionKeys('metrics', metrics, METRICS_KEYS, true)) collectTimeoutOf((metrics as Record<string, unknown>).collectTimeoutMs);
}
