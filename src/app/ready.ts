import type { BatteryRuntime } from '../kernel/battery.ts';

// One warm-up per compiled runtime: concurrent and later callers share it; a failure is forgotten
// so the next call (or the first request, which still opens everything lazily) tries again.
const warming = new WeakMap<readonly BatteryRuntime[], Promise<void>>();

/**
 * Runs every battery's `ready()` at once (the database opens and migrates), what the first
 * request would otherwise do lazily. Rejects with the first failure.
 * @example await warmUp(runtime.batteries);
 */
export function warmUp(batteries: readonly BatteryRuntime[]): Promise<void> {
  let pending = warming.get(batteries);
  if (pending === undefined) {
    pending = Promise.all(batteries.map((f) => f.ready?.())).then(() => undefined);
    warming.set(batteries, pending);
    pending.catch(() => warming.delete(batteries));
  }
  return pending;
}
