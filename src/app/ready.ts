import type { FeatureRuntime } from './feature.ts';

// One warm-up per compiled runtime: concurrent and later callers share it; a failure is forgotten
// so the next call (or the first request, which still opens everything lazily) tries again.
const warming = new WeakMap<readonly FeatureRuntime[], Promise<void>>();

/**
 * Runs every feature's `ready()` at once (the database opens and migrates), what the first
 * request would otherwise do lazily. Rejects with the first failure.
 * @example await warmUp(runtime.features);
 */
export function warmUp(features: readonly FeatureRuntime[]): Promise<void> {
  let pending = warming.get(features);
  if (pending === undefined) {
    pending = Promise.all(features.map((f) => f.ready?.())).then(() => undefined);
    warming.set(features, pending);
    pending.catch(() => warming.delete(features));
  }
  return pending;
}
