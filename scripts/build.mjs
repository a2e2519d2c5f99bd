// The JavaScript half of `npm run build` (tsc writes the declarations after it): the published entries
// as one code-split esbuild bundle, in a clean dist/ (old hashed chunks would otherwise be packed).
// Node's loader pays per module, so no file-per-module JavaScript is shipped.
// Dependencies stay external, except the few every app loads at import; those are bundled, because
// a tree-shaken copy of what we use parses in a fraction of the time of the whole package (valibot's
// single module alone was ≈ 3.5 ms of Bun's start). User schemas made with the user's own valibot work
// with the bundled functions: a valibot schema carries its own `~run`, and nothing here uses
// `instanceof` on valibot's classes.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

// `--outdir` elsewhere: a test builds the published bundle into a scratch folder
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });

const INLINE = new Set(['valibot', '@valibot/to-json-schema', 'itty-router']);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

rmSync(values.outdir, { recursive: true, force: true });
await build({
  // cli/init: `npx fetch-batteries init` runs compiled, before the new project has tsx (bin/fetch-batteries.mjs)
  entryPoints: ['index', 'adapters/node', 'adapters/bun', 'adapters/deno', 'testing/index', 'testing/node', 'cli/init'].map(
    (e) => `src/${e}.ts`,
  ),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  // valibot and itty-router publish ESM under `module`/`exports`; neutral has no default main fields
  mainFields: ['module', 'main'],
  outbase: 'src',
  outdir: values.outdir,
  chunkNames: 'chunks/[name]-[hash]',
  // maps are written beside the files (pointing at the shipped src/) but not linked from them: Deno
  // reads a linked map as it loads the module, ≈ 2.5 ms of every start for this bundle
  sourcemap: 'external',
  sourcesContent: false,
  allowOverwrite: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-dependencies',
      setup(b) {
        // bare specifiers (packages, `node:` built-ins) stay imports, except the inlined packages
        b.onResolve({ filter: /^[^./]/ }, (args) => (INLINE.has(packageOf(args.path)) ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
