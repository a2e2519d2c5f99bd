/**
 * The benchmark's Node side as a user's built service runs: bench/serve.ts, bench/in-process.ts and
 * every scenario compiled once by esbuild into bench/.node-built/ (our src/ bundled in, npm packages
 * left as imports, as Hono's plain JavaScript is). Through tsx, our TypeScript ran with a `__name`
 * wrapper around every function made at run time, a cost no built service pays and Hono never did.
 * Bun and Deno compile TypeScript without such wrappers, so they run the source.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { root } from './options.ts';

const OUT = join(root, 'bench/.node-built');
let built = false;

/** Builds once per run; returns the built file for a bench/ path (`bench/scenarios/jwt.ts` -> `/…/bench/.node-built/scenarios/jwt.js`). */
export function nodeBuilt(file: string): string {
  if (!built) {
    rmSync(OUT, { recursive: true, force: true });
    const scenarios = readdirSync(join(root, 'bench/scenarios')).filter((f) => f.endsWith('.ts'));
    buildSync({
      entryPoints: ['bench/serve.ts', 'bench/in-process.ts', ...scenarios.map((f) => `bench/scenarios/${f}`)].map((f) => join(root, f)),
      outbase: join(root, 'bench'),
      outdir: OUT,
      bundle: true,
      // one copy of each src/ module shared by the server and the scenario (syncHandler's registry)
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      // the tsconfig's experimentalDecorators, as tsx and `tsc` read it
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
    });
    built = true;
  }
  return join(OUT, file.replace(/^bench\//, '').replace(/\.ts$/, '.js'));
}

/** Removes the build (bench/run.ts calls it at the end, so it is not linted or type-checked with bench/). */
export function removeNodeBuild(): void {
  rmSync(OUT, { recursive: true, force: true });
  built = false;
}
