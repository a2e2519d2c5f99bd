import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root: fixture sources import `./src/index.ts`, `valibot`, ... relative to it. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

export type DecoratorMode = 'standard' | 'legacy';

/** tsconfig.json without experimentalDecorators (for tsx --tsconfig and bun --tsconfig-override). */
export const STANDARD_TSCONFIG = 'tsconfig.standard.json';

let dir: string | undefined;

/** Removes the temporary modules (call it in `afterAll`; the next compile starts a new folder). */
export function removeTemporaryModules(): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  frameworks.clear();
}

/** Writes compiled code to a temporary .mjs and returns its path. */
export function writeModule(code: string, name = 'fixture'): string {
  dir ??= mkdtempSync(join(tmpdir(), 'fb-decorators-'));
  const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  return file;
}

const common = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  logLevel: 'silent',
  // a CommonJS dependency's require() of a Node built-in, inside an ES module
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
} as const;

/** The framework (`./src/index.ts` and `./src/testing/index.ts`), bundled once per test file. */
const frameworks = new Map<string, Promise<string>>();
function framework(entry: string): Promise<string> {
  let built = frameworks.get(entry);
  if (!built) {
    built = build({ ...common, entryPoints: [join(root, entry)] }).then((r) => writeModule(r.outputFiles[0].text, 'framework'));
    frameworks.set(entry, built);
  }
  return built;
}

const requireFromRoot = createRequire(join(root, 'package.json'));

/** Packages stay outside the bundle, imported by absolute path (the bundle is written to a temporary folder). */
const linkPackages: Plugin = {
  name: 'link-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') ? { external: true } : { path: requireFromRoot.resolve(args.path), external: true },
    );
  },
};

/** Fixtures import one prebuilt framework bundle. */
const linkFramework: Plugin = {
  name: 'link-framework',
  setup(b) {
    b.onResolve({ filter: /^\.\/src\/(testing\/)?index\.ts$/ }, async (args) => ({ path: await framework(args.path), external: true }));
  },
};

/**
 * The demo loads examples/app/legacy.ts (parameter decorators, which do not parse without
 * experimentalDecorators) only in a legacy build: a standard bundle leaves that import out.
 */
export const withoutLegacyDemo: Plugin = {
  name: 'without-legacy-demo',
  setup(b) {
    b.onResolve({ filter: /^\.\/legacy\.ts$/ }, (args) =>
      args.importer.endsWith(join('examples', 'app', 'index.ts')) ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * Compiles TypeScript source as a user's toolchain would: `standard` is TypeScript's default (TC39
 * decorators, no `experimentalDecorators`), `legacy` sets it. vitest compiles this repository
 * with legacy decorators, so standard-mode code goes through esbuild here. `selfContained` bundles
 * the framework and its packages in (a file Node, Bun and Deno run as is); otherwise the fixture
 * links to one prebuilt framework bundle, which keeps each compile to milliseconds.
 */
export async function compile(source: string, mode: DecoratorMode = 'standard', selfContained = false): Promise<string> {
  const result = await build({
    ...common,
    stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: `fixture.${mode}.ts` },
    // esbuild reads no tsconfig.json when given this, so the repository's legacy setting stays out
    tsconfigRaw: { compilerOptions: { experimentalDecorators: mode === 'legacy', useDefineForClassFields: false } },
    plugins: selfContained ? [] : [linkFramework, linkPackages],
    banner: selfContained ? common.banner : undefined,
  });
  return result.outputFiles[0].text;
}

/** Compiles `source` in `mode` and imports it. */
export async function importCompiled<T = Record<string, unknown>>(source: string, mode: DecoratorMode = 'standard'): Promise<T> {
  const file = writeModule(await compile(source, mode));
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

/**
 * Compiles a repository module (e.g. the demo, `examples/app/index.ts`) in `mode`, with `extra`
 * source appended to its re-exports, and imports it.
 */
export async function compileEntry(entry: string, mode: DecoratorMode, extra = ''): Promise<Record<string, unknown>> {
  const result = await build({
    ...common,
    stdin: { contents: `export * from './${entry}';\n${extra}`, resolveDir: root, loader: 'ts', sourcefile: `entry.${mode}.ts` },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: mode === 'legacy', useDefineForClassFields: false } },
    plugins: mode === 'standard' ? [withoutLegacyDemo, linkPackages] : [linkPackages],
    banner: undefined,
  });
  return (await import(/* @vite-ignore */ pathToFileURL(writeModule(result.outputFiles[0].text, 'entry')).href)) as Record<string, unknown>;
}
