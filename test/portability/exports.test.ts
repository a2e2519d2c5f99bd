import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
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

  // valibot is bundled into dist (scripts/build.mjs); a user's schemas come from their own copy
  it("validates a body and writes its OpenAPI schema with the user's own valibot, not the bundled copy", async () => {
    const script = `
      import * as v from 'valibot';
      import { Controller, createApp, Post, Body } from 'fetch-batteries';
      const Patient = v.object({ name: v.pipe(v.string(), v.minLength(1)), age: v.optional(v.number()) });
      class Patients { create(body) { return { created: body.name }; } }
      const d = Object.getOwnPropertyDescriptor(Patients.prototype, 'create');
      Post('/patients', Body(Patient))(Patients.prototype, 'create', d);
      Controller('/')(Patients);
      const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT', LOG_LEVEL: 'ERROR' }, testing: true, controllers: [Patients] });
      const post = (body) => app.fetch(new Request('http://x/patients', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
      const ok = await post('{"name":"Ada"}');
      const bad = await post('{"name":""}');
      const schema = app.openapi().paths['/patients'].post.requestBody.content['application/json'].schema;
      console.log(JSON.stringify({ ok: [ok.status, await ok.json()], bad: [bad.status, await bad.json()], schema }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir });
    const out = JSON.parse(stdout);
    expect(out.ok).toEqual([200, { created: 'Ada' }]);
    expect(out.bad[0]).toBe(422);
    expect(out.bad[1].issues).toEqual([expect.objectContaining({ path: ['body', 'name'] })]);
    expect(out.schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 }, age: { type: 'number' } },
      required: ['name'],
    });
  });

  // the bundled copy keeps its own global settings: validation must go through the schema's own copy
  it("keeps the user's valibot global settings (setGlobalConfig, setGlobalMessage) in the 422 issues", async () => {
    const script = `
      import * as v from 'valibot';
      import { Controller, createApp, Post, Body } from 'fetch-batteries';
      v.setGlobalConfig({ lang: 'de', abortEarly: true });
      v.setGlobalMessage((issue) => 'Ungültig: ' + issue.expected, 'de');
      const Note = v.object({ title: v.pipe(v.string(), v.minLength(1)), kind: v.picklist(['a', 'b']) });
      class Notes { create(body) { return body; } }
      Post('/notes', Body(Note))(Notes.prototype, 'create', Object.getOwnPropertyDescriptor(Notes.prototype, 'create'));
      Controller('/')(Notes);
      const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT', LOG_LEVEL: 'ERROR' }, testing: true, controllers: [Notes] });
      const res = await app.fetch(new Request('http://x/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"","kind":"z"}' }));
      console.log(JSON.stringify([res.status, await res.json()]));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir });
    expect(JSON.parse(stdout)).toEqual([
      422,
      { message: 'Request validation failed', issues: [{ path: ['body', 'title'], message: 'Ungültig: >=1' }] },
    ]);
  });

  it('loads no valibot, @valibot/to-json-schema or itty-router module of its own at import (they are bundled, for start-up time)', async () => {
    // the import statements of every built file: a package named there is a module loaded at start
    const files = (await readdir(`${pkgDir}/dist`, { recursive: true })).filter((f) => String(f).endsWith('.js'));
    const imports = new Set<string>();
    for (const file of files) {
      for (const m of (await readFile(`${pkgDir}/dist/${file}`, 'utf8')).matchAll(/\bfrom\s*"([^"./][^"]*)"/g)) imports.add(m[1]);
    }
    expect([...imports].filter((i) => /^(valibot|@valibot\/|itty-router)/.test(i))).toEqual([]);
    // and the scan itself sees the imports that do stay
    expect(imports).toContain('jose/jwt/verify');
  });

  it('passes publint', async () => {
    const { messages } = await publint({ pkgDir, pack: false, level: 'warning' });
    expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`)).toEqual([]);
  });
});
