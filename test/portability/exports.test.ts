import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './neutral-bundle.ts';

const run = promisify(execFile);

interface PackageJson {
  name: string;
  exports: Record<string, string | { types?: string; default?: string }>;
  bin?: Record<string, string>;
}

/**
 * The package as it would be published: the real `npm run build` (tsc for the declarations, then
 * esbuild, which writes the published JavaScript entries over tsc's) run in a scratch copy under
 * node_modules/.cache, so the package can import itself by name and find its dependencies in the
 * repo's node_modules. test/cli/init.test.ts goes further: `npm pack`, then a project installs it.
 */
let pkgDir: string;
let pkg: PackageJson;

beforeAll(async () => {
  pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
  await mkdir(`${root}node_modules/.cache`, { recursive: true });
  pkgDir = await mkdtemp(`${root}node_modules/.cache/exports-`);
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(`${root}${file}`, `${pkgDir}/${file}`);
  for (const dir of ['src', 'bin', 'scripts']) await cp(`${root}${dir}`, `${pkgDir}/${dir}`, { recursive: true });
  // a type error fails the build, as it would fail `npm pack`
  await run('npm', ['run', 'build'], { cwd: pkgDir });
}, 120_000);

afterAll(async () => {
  if (pkgDir) await rm(pkgDir, { recursive: true, force: true });
});

describe('package exports (after the build)', () => {
  it('lists ., ./node and ./testing', () => {
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './node', './testing']));
  });

  it('has the types and JavaScript file of every subpath', async () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default].filter((f): f is string => !!f);
      for (const file of files) expect((await stat(`${pkgDir}/${file}`)).isFile(), `${subpath} -> ${file}`).toBe(true);
    }
  });

  it('imports every subpath by the package name in a fresh Node process', async () => {
    const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
    const specifiers = subpaths.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));
    const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); console.log(s, Object.keys(m).length); }`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir });
    for (const s of specifiers) expect(stdout).toContain(s);
    // the main entry really exports the API
    expect(stdout).toMatch(new RegExp(`^${pkg.name} [1-9]\\d*$`, 'm'));
  });

  it('passes publint', async () => {
    const { messages } = await publint({ pkgDir, pack: false, level: 'warning' });
    expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`)).toEqual([]);
  });
});
