import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm test` (scripts/test.mjs) run for real, in a scratch copy whose node_modules/.bin holds
// stand-in tsc, biome and vitest commands: running the real ones here would run the whole suite
// inside itself. Each stand-in records that it ran and exits as the test says.
const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(failing: { tsc?: boolean; mainRun?: boolean; restartRun?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-npm-test-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/test.mjs'), join(dir, 'scripts/test.mjs'));
  const bin = join(dir, 'node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "$0 $*" >> "${dir}/ran.log"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('tsc', failing.tsc ? 'exit 2' : 'exit 0');
  stub('biome', 'exit 0');
  stub('vitest', `case "$*" in *vitest.restart.config.ts*) exit ${failing.restartRun ? 1 : 0};; *) exit ${failing.mainRun ? 1 : 0};; esac`);
  return dir;
}

function npmTest(dir: string, args: string[] = []): Promise<{ code: number; out: string; ran: string[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, 'scripts/test.mjs'), ...args], { cwd: dir, env: { PATH: process.env.PATH } }, (error, stdout) => {
      const ran = readFileSync(join(dir, 'ran.log'), 'utf8').trim().split('\n');
      resolve({ code: error ? Number(error.code) : 0, out: stdout, ran: ran.map((l) => l.replace(`${dir}/node_modules/.bin/`, '')) });
    });
  });
}

describe('npm test (scripts/test.mjs)', () => {
  it('runs typecheck, lint, vitest and the restart run in order, and passes when all pass', async () => {
    const { code, out, ran } = await npmTest(project());
    expect(code).toBe(0);
    expect(ran).toEqual([
      'tsc -p tsconfig.json --noEmit',
      'tsc -p tsconfig.core.json --noEmit',
      'biome check .',
      'vitest run',
      'vitest run --config vitest.restart.config.ts',
    ]);
    expect(out).toMatch(/ok {5}vitest restart/);
  });

  it('still runs the restart run when the main run failed, and fails, naming the failed step', async () => {
    const { code, out, ran } = await npmTest(project({ mainRun: true }));
    expect(code).toBe(1);
    expect(ran).toContain('vitest run --config vitest.restart.config.ts');
    expect(out).toMatch(/FAILED vitest \(.*exit code 1\)/);
    expect(out).toMatch(/ok {5}vitest restart/);
  });

  it('fails when only the restart run failed, and when only the type check failed', async () => {
    const restart = await npmTest(project({ restartRun: true }));
    expect(restart.code).toBe(1);
    expect(restart.out).toMatch(/FAILED vitest restart/);
    const types = await npmTest(project({ tsc: true }));
    expect(types.code).toBe(1);
    expect(types.ran).toHaveLength(5);
  });

  it('says up front when TEST_DATABASE_URL is not set; npm test -- <files> narrows the main run', async () => {
    const { out, ran } = await npmTest(project(), ['test/core']);
    expect(out).toContain('TEST_DATABASE_URL is not set');
    expect(ran).toContain('vitest run test/core');
  });
});
