/**
 * Which decorators this build compiled: `legacy` with `"experimentalDecorators": true`, else
 * `standard` (TypeScript's default, and esbuild's, Bun's and Deno's). A class decorator gets a
 * context object as second argument only in the standard mode.
 */
export let DECORATORS: 'standard' | 'legacy' = 'legacy';

function probe(_target: unknown, context?: unknown): void {
  if (typeof context === 'object' && context !== null) DECORATORS = 'standard';
}

@probe
class Probe {}
void Probe;
