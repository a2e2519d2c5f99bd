import type { BuildOptions } from 'esbuild';

/**
 * How Workers tooling (wrangler) bundles a worker, for the tests that build one with esbuild:
 * the neutral platform, the workerd/worker/browser export conditions, ES2022.
 */
export const WORKERS_BUILD = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  target: 'es2022',
} as const satisfies BuildOptions;
