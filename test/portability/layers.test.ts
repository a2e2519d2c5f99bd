import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLayers, importsOf, reachable } from './layers.ts';

const root = new URL('../../', import.meta.url).pathname;

function sources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = `${entry.parentPath}/${entry.name}`.slice(root.length);
    files.set(path, readFileSync(`${root}${path}`, 'utf8'));
  }
  return files;
}

const fixture = (files: Record<string, string>) => checkLayers(new Map(Object.entries(files)));

describe('the import rule of src/ (docs/architecture.md)', () => {
  const files = sources();

  it('holds for every file in src/', () => {
    expect(files.size).toBeGreaterThan(90);
    const report = checkLayers(files).map((v) => `${v.file}:${v.line}: ${v.message}`);
    expect(report).toEqual([]);
  });

  it('keeps fetch-batteries and fetch-batteries/testing free of node: imports, all the way down', () => {
    for (const entry of ['src/index.ts', 'src/testing/index.ts']) {
      const reached = reachable(files, entry);
      expect(reached.size).toBeGreaterThan(3);
      const nodeImports = [...reached].flatMap((f) =>
        importsOf(files.get(f) ?? '')
          .filter((i) => i.specifier.startsWith('node:'))
          .map((i) => `${f}: ${i.specifier}`),
      );
      expect(nodeImports, entry).toEqual([]);
    }
    // and the Node-only entry really is the one with node:http
    expect([...reachable(files, 'src/testing/node.ts')]).toContain('src/adapters/jwks-server.ts');
    // the portable entry reaches the runtime through the platform port's adapter, which imports no node: either
    expect([...reachable(files, 'src/index.ts')]).toContain('src/adapters/platform.ts');
  });

  // the check itself, on in-memory files: each kind of violation is found, with its file and line
  it('refuses the kernel importing anything above it', () => {
    const found = fixture({
      'src/kernel/x.ts': "import type { A } from './context.ts';\nimport { createApp } from '../app/create-app.ts';\n",
    });
    expect(found).toEqual([
      { file: 'src/kernel/x.ts', line: 2, message: expect.stringContaining('the kernel imports nothing outside src/kernel/') },
    ]);
    expect(fixture({ 'src/kernel/y.ts': "export { Sql } from '../db/sql.ts';" })).toHaveLength(1);
  });

  it('refuses a battery importing app/, adapters/, cli/ or another battery, and allows the listed edges', () => {
    expect(fixture({ 'src/security/x.ts': "import { App } from '../app/create-app.ts';" })[0]?.message).toMatch(/only the kernel/);
    expect(fixture({ 'src/db/x.ts': "import { serve } from '../adapters/node.ts';" })).toHaveLength(1);
    expect(fixture({ 'src/observability/x.ts': "import { requiresJwt } from '../security/battery.ts';" })[0]?.message).toMatch(
      /imports no other battery \(observability\/ -> security\/\)/,
    );
    // openapi reads the security battery's messages (listed), not its battery module (not listed)
    expect(fixture({ 'src/openapi/x.ts': "import { NO_API_KEY } from '../security/errors.ts';" })).toEqual([]);
    expect(fixture({ 'src/openapi/x.ts': "import { securityBattery } from '../security/battery.ts';" })).toHaveLength(1);
    expect(
      fixture({
        'src/openapi/x.ts':
          "import { x } from '../kernel/battery.ts';\nimport { y } from '../metadata/store.ts';\nimport { z } from './schema.ts';",
      }),
    ).toEqual([]);
  });

  it('refuses node: imports and runtime globals outside adapters/ and cli/, and reads no comment or string', () => {
    const found = fixture({
      'src/kernel/x.ts': "import { readFileSync } from 'node:fs';\nconst n = process.env.N;\nconst b = Buffer.from('x');",
      'src/db/y.ts': "// process.env is not read here\nconst s = 'Deno.env and Bun.serve';\nconst t = `Bun.serve`;",
      'src/adapters/z.ts': "import { createServer } from 'node:http';\nconst p = process.env.PORT;",
      // the kernel reaches the runtime only through its platform port, never through globals
      'src/kernel/platform.ts': 'const g = globalThis as { Deno?: { env?: unknown } };',
    });
    expect(found.map((v) => `${v.file}:${v.line}`)).toEqual([
      'src/kernel/x.ts:1',
      'src/kernel/x.ts:2',
      'src/kernel/x.ts:3',
      'src/kernel/platform.ts:1',
    ]);
  });

  it('lets the app layer import the platform adapter that installs the kernel port, and no other adapter', () => {
    expect(fixture({ 'src/app/x.ts': "import '../adapters/platform.ts';" })).toEqual([]);
    expect(fixture({ 'src/app/x.ts': "import { serve } from '../adapters/node.ts';" })[0]?.message).toMatch(
      /app\/ never imports adapters\//,
    );
    expect(fixture({ 'src/observability/x.ts': "import '../adapters/platform.ts';" })).toHaveLength(1);
  });

  it('finds runtimes reached through globalThis, bare built-ins, require, template imports and self-imports', () => {
    const found = fixture({
      'src/db/a.ts': 'const g = globalThis as { Deno?: { env?: unknown } };\nconst v = g.Deno?.env;',
      'src/observability/b.ts': 'const p = (globalThis as { process?: unknown }).process;',
      'src/security/c.ts': "import fs from 'fs';\nimport { x } from 'fetch-batteries';",
      'src/kernel/d.ts': "const m = await import(`../app/x.ts`);\nconst n = require('../db/y.ts');",
    });
    expect(found.map((v) => `${v.file}:${v.line}`)).toEqual([
      'src/db/a.ts:1',
      'src/db/a.ts:2',
      'src/observability/b.ts:1',
      'src/observability/b.ts:1',
      'src/security/c.ts:1',
      'src/security/c.ts:2',
      'src/kernel/d.ts:1',
      'src/kernel/d.ts:2',
    ]);
  });

  it('finds runtime globals named by a string key, and not the same word in a comment or a longer string', () => {
    const found = fixture({
      'src/kernel/a.ts': "const p = (globalThis as Record<string, unknown>)['process'];",
      'src/security/b.ts': 'const d = (globalThis as Record<string, unknown>)["Deno"];\nconst b = Reflect.get(globalThis, `Bun`);',
      'src/db/c.ts': "const has = 'Buffer' in globalThis;",
      'src/openapi/d.ts': "// globalThis['process'] is not read here\nconst s = \"the 'Deno' runtime\";\nconst t = 'processes';",
      'src/adapters/e.ts': "const p = Reflect.get(globalThis, 'process');",
    });
    expect(found.map((v) => `${v.file}:${v.line}: ${v.message}`)).toEqual([
      "src/kernel/a.ts:1: 'process' names a runtime global: only in adapters/, cli/ and the pg driver",
      'src/security/b.ts:1: "Deno" names a runtime global: only in adapters/, cli/ and the pg driver',
      'src/security/b.ts:2: `Bun` names a runtime global: only in adapters/, cli/ and the pg driver',
      "src/db/c.ts:1: 'Buffer' names a runtime global: only in adapters/, cli/ and the pg driver",
    ]);
  });

  it('refuses an import with a variable specifier outside the listed driver and CLI files', () => {
    const dynamic = "const name = 'pg';\nconst m = await import(/* @vite-ignore */ name);\nconst r = require(name);";
    const found = fixture({
      'src/kernel/a.ts': dynamic,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template import, on purpose
      'src/security/b.ts': 'const m = await import(`../db/${which}.ts`);',
      'src/db/drivers/pg.ts': dynamic,
      'src/db/drivers/pglite.ts': dynamic,
      'src/openapi/c.ts':
        "const m = await import('./schema.ts');\nconst n = await import(/* x */ './schema.ts', { with: {} });\ntype T = typeof import('./schema.ts');",
    });
    const variable = found.filter((v) => /variable specifier/.test(v.message));
    expect(variable.map((v) => `${v.file}:${v.line}`)).toEqual(['src/kernel/a.ts:2', 'src/kernel/a.ts:3', 'src/security/b.ts:1']);
    // the template's fixed part still reads as a battery edge (security/ -> db/)
    expect(found).toHaveLength(4);
  });

  it('reads multi-line, type-only, re-export, side-effect and dynamic imports', () => {
    const source =
      "import {\n  a,\n  b,\n} from './a.ts';\nexport type { C } from '../c.ts';\nimport 'reflect-metadata';\nconst m = await import('./d.ts');\n";
    expect(importsOf(source)).toEqual([
      { specifier: './a.ts', line: 4 },
      { specifier: '../c.ts', line: 5 },
      { specifier: 'reflect-metadata', line: 6 },
      { specifier: './d.ts', line: 7 },
    ]);
  });
});
