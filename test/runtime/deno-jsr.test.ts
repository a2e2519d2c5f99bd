import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './targets.ts';

// `deno task start` and `deno publish` as a Deno user runs them, with the Deno binary the npm
// package `deno` installs (node_modules/.bin/deno, what `npx deno` runs).
const ROOT = join(import.meta.dirname, '../..');
const DENO = join(ROOT, 'node_modules/deno/deno');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };

const children: ChildProcess[] = [];
const scratch: string[] = [];
afterAll(() => {
  for (const child of children) stop(child);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** The task runs `deno run` as a child: the whole process group goes, by the task's PID. */
function stop(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function startTask(command: string, env: Record<string, string>): Promise<{ status: number; body: unknown; output: string }> {
  const port = await freePort();
  const child = spawn(command, ['task', 'start'], {
    cwd: ROOT,
    env: { ...baseEnv, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() reaches the `deno run` it starts
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 90_000;
  try {
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`deno task start exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/running`, { signal: AbortSignal.timeout(2000) });
        return { status: res.status, body: await res.json(), output };
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error('no answer on /running within 90 s');
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${output.slice(-2000)}`);
  } finally {
    stop(child);
  }
}

describe('deno task start', () => {
  it('serves /running when run as npx deno task start (node_modules/.bin/deno)', async () => {
    const { status, output } = await startTask(join(ROOT, 'node_modules/.bin/deno'), {});
    expect(status).toBe(200);
    expect(output).not.toContain('SyntaxError');
    // the task runs the standard-decorator build: Deno warns that experimentalDecorators is deprecated
    expect(output).toContain('standard decorators) listening on');
    expect(output).not.toContain('experimentalDecorators');
  }, 120_000);

  it('serves /running when run by a deno found on PATH (a global install)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'fb-global-deno-'));
    scratch.push(bin);
    symlinkSync(DENO, join(bin, 'deno'));
    const { status } = await startTask('deno', { PATH: `${bin}:${baseEnv.PATH}` });
    expect(status).toBe(200);
  }, 120_000);
});

describe('JSR: deno.json describes the package', () => {
  const deno = JSON.parse(readFileSync(join(ROOT, 'deno.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('has a scoped name, the version of package.json and the same entry points', () => {
    expect(deno.name).toMatch(/^@[a-z0-9-]+\/fetch-batteries$/);
    expect(deno.version).toBe(pkg.version);
    const npmEntries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(Object.keys(deno.exports).sort()).toEqual(npmEntries.sort());
  });

  it('deno publish --dry-run exits 0 (no slow types in the public API)', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      // --allow-dirty: the check is about the package, not about uncommitted files in a working copy
      execFile(DENO, ['publish', '--dry-run', '--allow-dirty'], { cwd: ROOT, env: baseEnv, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: stdout + stderr });
      });
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`Simulating publish of ${deno.name}@${deno.version}`);
    expect(output).toContain('Success Dry run complete');
  }, 150_000);
});
