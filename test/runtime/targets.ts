import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { createDemoApp } from '../../examples/app/index.ts';
import { consoleJsonLogger, type LogLevel } from '../../src/index.ts';
import { freePort } from '../support/free-port.ts';
import { startPgProxy } from '../support/pg-proxy.ts';
import { skipWithoutPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';
import { compileEntry, type DecoratorMode, STANDARD_TSCONFIG, withoutLegacyDemo } from '../support/standard-build.ts';
import { WORKERS_BUILD } from '../support/workers-build.ts';

export const TARGETS = ['in-process', 'node', 'bun', 'deno', 'workerd'] as const;
export type TargetName = (typeof TARGETS)[number];
/**
 * How the demo is compiled: `standard` is TypeScript's default (TC39 decorators; the demo's
 * controllers list their parameters in the route decorators), `legacy` sets experimentalDecorators
 * (the demo then serves examples/app/legacy.ts, the parameter-decorator form).
 */
export const DECORATOR_MODES = ['standard', 'legacy'] as const satisfies readonly DecoratorMode[];

/** A started target: cases send requests with `fetch(path, init)` (or to `baseUrl` directly). */
export interface Target {
  name: TargetName;
  baseUrl: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Everything the service has logged so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/** Starts the demo service on one target with `env`, waiting until it answers HTTP. */
export async function startTarget(name: TargetName, env: Record<string, string>, mode: DecoratorMode = 'legacy'): Promise<Target> {
  const standard = mode === 'standard';
  switch (name) {
    case 'in-process':
      return inProcess(env, mode);
    case 'node':
      return spawnServer(name, bin('tsx'), [...(standard ? ['--tsconfig', STANDARD_TSCONFIG] : []), 'examples/node/server.ts'], env, mode);
    case 'bun':
      return spawnServer(
        name,
        bin('bun'),
        [...(standard ? [`--tsconfig-override=${STANDARD_TSCONFIG}`] : []), 'examples/bun/server.ts'],
        env,
        mode,
      );
    case 'deno':
      // deno.standard.json: deno.json's imports without experimentalDecorators (which Deno warns is deprecated)
      return spawnServer(
        name,
        bin('deno'),
        ['run', '-A', '--config', standard ? 'deno.standard.json' : 'deno.json', 'examples/deno/server.ts'],
        env,
        mode,
      );
    case 'workerd':
      return workerd(env, mode);
  }
}

async function inProcess(env: Record<string, string>, mode: DecoratorMode): Promise<Target> {
  // vitest compiles with the repository's (legacy) tsconfig; the standard build goes through esbuild
  const demo =
    mode === 'legacy'
      ? { createDemoApp, DECORATORS: (await import('../../examples/app/mode.ts')).DECORATORS }
      : ((await compileEntry('examples/app/index.ts', 'standard', 'export { DECORATORS } from "./examples/app/mode.ts";')) as {
          createDemoApp: typeof createDemoApp;
          DECORATORS: DecoratorMode;
        });
  if (demo.DECORATORS !== mode) throw new Error(`in-process: the demo was compiled with ${demo.DECORATORS} decorators, not ${mode}`);
  let output = '';
  const level = (env.LOG_LEVEL ?? 'INFO').toLowerCase() as LogLevel;
  const app = demo.createDemoApp({ env, logger: consoleJsonLogger(level, (line) => (output += `${line}\n`)) });
  const baseUrl = 'http://in-process.test';
  // as every serve() does: the embedded database opens before the first request, not during it
  await app.ready();
  return {
    name: 'in-process',
    baseUrl,
    fetch: (path, init) => app.fetch(new Request(baseUrl + path, init)),
    output: () => output,
    stop: () => app.close(),
  };
}

function overHttp(name: TargetName, baseUrl: string, stop: () => Promise<void>, output: () => string): Target {
  return { name, baseUrl, fetch: (path, init) => fetch(baseUrl + path, { redirect: 'manual', ...init }), output, stop };
}

export { freePort };

async function spawnServer(
  name: TargetName,
  command: string,
  args: string[],
  env: Record<string, string>,
  mode: DecoratorMode,
): Promise<Target> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    // serve() opens the embedded database before listening: seconds on a busy machine
    await waitForHttp(baseUrl, child, 110_000);
    // every example server names the decorators it was compiled with (just after it listens); Deno must not warn either
    for (let i = 0; i < 40 && !output.includes(`${mode} decorators`); i++) await new Promise((r) => setTimeout(r, 50));
    if (!output.includes(`${mode} decorators`)) throw new Error(`its output does not say "${mode} decorators"`);
    if (/experimentalDecorators.*deprecated/.test(output) && mode === 'standard') throw new Error('it warned about experimentalDecorators');
  } catch (error) {
    killChild(child);
    throw new Error(`${name} (${mode} decorators) did not start: ${(error as Error).message}\n${output.slice(-2000)}`);
  }
  return overHttp(
    name,
    baseUrl,
    () => stopChild(child),
    () => output,
  );
}

/** Polls until the server answers any HTTP status (the demo may run without /running). */
async function waitForHttp(baseUrl: string, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      await fetch(`${baseUrl}/running`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`no answer from ${baseUrl} within ${timeoutMs} ms`);
}

function killChild(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
}

/** SIGTERM by PID, SIGKILL if it lingers. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => killChild(child), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The esbuild bundle Workers would run: neutral platform, worker conditions, no Node built-ins. */
export async function bundleWorker(entry = 'examples/workers/worker.ts', mode: DecoratorMode = 'legacy'): Promise<string> {
  const standard = mode === 'standard';
  const result = await build({
    entryPoints: [`${root}${entry}`],
    ...WORKERS_BUILD,
    // as wrangler does (keep_names defaults to true): class names are operationIds and messages
    keepNames: true,
    // esbuild reads no tsconfig file when given tsconfigRaw: the standard build has no experimentalDecorators
    ...(standard ? { tsconfigRaw: { compilerOptions: { experimentalDecorators: false } }, plugins: [withoutLegacyDemo] } : {}),
    tsconfig: standard ? undefined : `${root}tsconfig.json`,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0].text;
  // esbuild's helper for standard decorators, absent from a legacy build
  if (text.includes('__decoratorStart') !== standard) throw new Error(`the worker bundle was not compiled with ${mode} decorators`);
  return text;
}

/**
 * Whether a target cannot run on this machine (it prints why once). workerd keeps the demo's patients
 * in the PostgreSQL of TEST_DATABASE_URL (the embedded PGlite cannot run there), reached with
 * Neon's driver through a WebSocket proxy.
 */
export function skipTarget(name: TargetName): boolean {
  return name === 'workerd' && skipWithoutPostgres("the runtime suite's workerd target");
}

/** Workers do not migrate on their own (a deploy step does): let the demo on Node apply its migrations once. */
const migrated = new Map<string, Promise<void>>();
function migrateForWorkers(databaseUrl: string, env: Record<string, string>): Promise<void> {
  let done = migrated.get(databaseUrl);
  if (!done) migrated.set(databaseUrl, (done = migrate(databaseUrl, env)));
  return done;
}

async function migrate(databaseUrl: string, env: Record<string, string>): Promise<void> {
  const app = createDemoApp({ env: { ...env, DATABASE_URL: databaseUrl }, testing: true });
  try {
    const res = await app.fetch(new Request('http://deploy.step/patients?limit=1'));
    if (res.status !== 200) throw new Error(`migrating the workerd database answered ${res.status}: ${await res.text()}`);
  } finally {
    await app.close();
  }
}

async function workerd(env: Record<string, string>, mode: DecoratorMode): Promise<Target> {
  const databaseUrl = env.DATABASE_URL ?? TEST_DATABASE_URL;
  if (databaseUrl === undefined) throw new Error('the workerd target needs TEST_DATABASE_URL (see skipTarget)');
  const [script, port] = await Promise.all([bundleWorker(undefined, mode), freePort(), migrateForWorkers(databaseUrl, env)]);
  const proxy = await startPgProxy();
  let mf: Miniflare | undefined;
  let output = '';
  try {
    mf = new Miniflare({
      // explicit modules: Miniflare would otherwise refuse the pg driver's non-literal `import(PG_MODULE)`
      modules: [{ type: 'ESModule', path: `${root}worker.mjs`, contents: script }],
      compatibilityDate: '2025-09-01',
      bindings: { ...env, DATABASE_URL: databaseUrl, DATABASE_WS_PROXY: proxy.url },
      host: '127.0.0.1',
      port,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.on('data', (d: Buffer) => (output += d));
        stderr.on('data', (d: Buffer) => (output += d));
      },
    });
    const url = await mf.ready;
    await waitForHttp(url.origin, undefined, 30_000);
    const started = mf;
    return overHttp(
      'workerd',
      url.origin,
      async () => {
        await started.dispose();
        await proxy.close();
      },
      () => output,
    );
  } catch (error) {
    await mf?.dispose().catch(() => {});
    await proxy.close();
    throw error;
  }
}
