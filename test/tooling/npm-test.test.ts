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
  // the stand-in vitest writes the JSON report it is asked for: 3 passed, 1 skipped (and 1 failed when failing)
  stub(
    'vitest',
    `f=${failing.mainRun ? 1 : 0}; case "$*" in *vitest.restart.config.ts*) f=${failing.restartRun ? 1 : 0};; esac
for a in "$@"; do case "$a" in --outputFile.json=*) echo "{\\"numPassedTests\\":3,\\"numFailedTests\\":$f,\\"numPendingTests\\":1,\\"numTodoTests\\":0}" > "\${a#--outputFile.json=}";; esac; done
case "$*" in *vitest.restart.config.ts*) exit ${failing.restartRun ? 1 : 0};; *) exit ${failing.mainRun ? 1 : 0};; esac`,
  );
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
    expect(ran.map((line) => line.replace(/ --reporter=default --reporter=json --outputFile\.json=\S+/, ''))).toEqual([
      'tsc -p tsconfig.json --noEmit',
      'tsc -p tsconfig.core.json --noEmit',
      'tsc -p tsconfig.standard.json --noEmit',
      'biome check .',
      'vitest run',
      'vitest run --config vitest.restart.config.ts',
    ]);
    expect(out).toMatch(/ok {5}vitest restart/);
    // the plain closing line: both vitest runs' counts added up
    expect(out.trimEnd().split('\n').at(-1)).toBe('tests: 6 passed, 0 failed, 2 skipped');
  });

  it('still runs the restart run when the main run failed, and fails, naming the failed step', async () => {
    const { code, out, ran } = await npmTest(project({ mainRun: true }));
    expect(code).toBe(1);
    expect(ran.some((line) => line.startsWith('vitest run --config vitest.restart.config.ts'))).toBe(true);
    expect(out).toMatch(/FAILED vitest \(.*exit code 1\)/);
    expect(out).toMatch(/ok {5}vitest restart/);
    expect(out).toContain('tests: 6 passed, 1 failed, 2 skipped');
  });

  it('fails when only the restart run failed, and when only the type check failed', async () => {
    const restart = await npmTest(project({ restartRun: true }));
    expect(restart.code).toBe(1);
    expect(restart.out).toMatch(/FAILED vitest restart/);
    const types = await npmTest(project({ tsc: true }));
    expect(types.code).toBe(1);
    expect(types.ran).toHaveLength(6);
  });

  it('says up front when TEST_DATABASE_URL is not set; npm test -- <files> narrows the main run', async () => {
    const { out, ran } = await npmTest(project(), ['test/core']);
    expect(out).toContain('TEST_DATABASE_URL is not set');
    expect(ran.some((line) => line.startsWith('vitest run ') && line.endsWith(' test/core'))).toBe(true);
  });
});
