// What test/cli/init-*.test.ts need to treat a generated project as a user would: the package as
// published, real processes (bounded in time, killed by process group), a free port.
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface RunResult {
  code: number | null;
  output: string;
  ms: number;
}

/**
 * A clean environment for a user's shell: no npm_* or test variables of this run leak into the
 * generated project (a DATABASE_URL here would change which database it uses). `bin` holds
 * the runtimes the project's scripts call (bun, deno), first on PATH.
 */
export function userEnv(bin: string, extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['HOME', 'LANG', 'TMPDIR', 'USER'];
  const env: Record<string, string> = { PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: '1' };
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  return { ...env, ...extra };
}

/** Kills the process group of a child started with `detached: true` (npm and what it runs). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Sends `signal` (0: only asks) to the process group `pgid`; false when no process is left in it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once no process is left in the group `pgid` (bounded by the test's timeout): a helper
 * the server started (tsx's esbuild service) leaves a moment after it, once its pipe closes.
 */
export async function groupEmptied(pgid: number): Promise<void> {
  while (signalGroup(pgid, 0)) await new Promise((r) => setTimeout(r, 100));
}

/** Starts a command in its own process group, collecting its output. */
export function start(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

/** SIGTERM to the group, SIGKILL if it lingers; resolves when the leader has exited. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // whatever npm left behind in the group, also when npm itself has already gone
  if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
}

/** Runs a command to its end, killed (with its children) after `timeoutMs`. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<RunResult> {
  const began = performance.now();
  const { child, output } = start(command, args, cwd, env);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  killGroup(child, 'SIGKILL');
  return { code, output: output(), ms: Math.round(performance.now() - began) };
}

export { freePort };

/** Polls until `url` answers (any status); fails early when the process has exited. */
export async function waitForHttp(url: string, child: ChildProcess | undefined, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2000) });
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

/**
 * `npm pack` of this package, as `npm publish` would make it (prepack builds dist/). The copy
 * lives under node_modules/.cache so the build finds tsc and the dependencies' types.
 */
export async function packPackage(into: string): Promise<{ tarball: string; ms: number }> {
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  const copy = await mkdtemp(join(root, 'node_modules/.cache/init-pack-'));
  for (const entry of ['package.json', 'bin', 'src', 'scripts', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json']) {
    await cp(join(root, entry), join(copy, entry), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  const result = await run('npm', ['pack', '--pack-destination', into], copy, userEnv(join(root, 'node_modules/.bin')), 300_000);
  await rm(copy, { recursive: true, force: true });
  if (result.code !== 0) throw new Error(`npm pack failed (${result.code}):\n${result.output.slice(-3000)}`);
  const tarball = (await readdir(into)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball:\n${result.output.slice(-3000)}`);
  return { tarball: join(into, tarball), ms: result.ms };
}

/** A directory with only the runtimes from this repo's node_modules that the scripts call. */
export async function runtimeBin(scratch: string): Promise<string> {
  const bin = join(scratch, 'bin');
  await mkdir(bin, { recursive: true });
  for (const name of ['bun', 'deno']) await symlink(join(root, 'node_modules/.bin', name), join(bin, name));
  return bin;
}

export const scratchDir = () => mkdtemp(join(tmpdir(), 'fb-init-'));

/** KEY=value lines (.env, .dev.vars), comments and blanks skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim();
  }
  return env;
}
