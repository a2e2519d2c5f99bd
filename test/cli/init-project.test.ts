import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS_BUILD } from '../support/workers-build.ts';
import {
  freePort,
  groupEmptied,
  packPackage,
  parseEnvFile,
  run,
  runtimeBin,
  scratchDir,
  signalGroup,
  start,
  stop,
  userEnv,
  waitForHttp,
} from './init-support.ts';

const RUNTIMES = ['node', 'bun', 'deno', 'workers'] as const;
type Runtime = (typeof RUNTIMES)[number];

/**
 * The first hour, for real: the package packed as npm publishes it, `init` run by the packed bin
 * with no dependency installed (what `npx fetch-batteries init` runs), `npm install` of the
 * tarball and the template's dependencies (the npm cache holds them; the registry is reachable),
 * the generated `npm test`, and `npm start` answering. Bun and Deno are this repo's npm builds;
 * Workers run in workerd through Miniflare, bundled by esbuild as wrangler would (wrangler itself,
 * ~100 MB, is dropped from the generated devDependencies here and not installed).
 */
describe('a project made by init from the packed package', () => {
  let scratch: string;
  let tarball: string;
  let bin: string;
  const timings: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    scratch = await scratchDir();
    bin = await runtimeBin(scratch);
    const packed = await packPackage(scratch);
    tarball = packed.tarball;
    timings.pack = { 'npm pack (build)': packed.ms };
    await mkdir(join(scratch, 'extracted'));
    const untar = await run('tar', ['xzf', tarball, '-C', join(scratch, 'extracted')], scratch, userEnv(bin), 60_000);
    expect(untar.code).toBe(0);
  }, 360_000);

  afterAll(async () => {
    const lines = Object.entries(timings).map(([name, phases]) => {
      const total = Object.values(phases).reduce((a, b) => a + b, 0);
      return `  ${name}: ${Object.entries(phases)
        .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')} (total ${(total / 1000).toFixed(1)} s)`;
    });
    console.log(`fetch-batteries init timings:\n${lines.join('\n')}`);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 60_000);

  /** A step of the user's session; its time goes into the report, its output into the failure. */
  async function step(runtime: Runtime, phase: string, cwd: string, command: string, args: string[], timeoutMs: number) {
    const result = await run(command, args, cwd, userEnv(bin), timeoutMs);
    (timings[runtime] ??= {})[phase] = result.ms;
    if (result.code !== 0) throw new Error(`${runtime}: ${phase} exited with ${result.code}:\n${result.output.slice(-4000)}`);
    return result.output;
  }

  /** `npm start`, then /running; a token from `npm run token` opens POST /notes on the running service. */
  async function startAndCall(runtime: Runtime, project: string): Promise<void> {
    const port = await freePort();
    const began = performance.now();
    const server = start('npm', ['start'], project, userEnv(bin, { PORT: String(port), HOST: '127.0.0.1' }));
    try {
      const base = `http://127.0.0.1:${port}`;
      const running = await waitForHttp(`${base}/running`, server.child, 120_000).catch((error: Error) => {
        throw new Error(`${runtime}: npm start did not answer: ${error.message}\n${server.output().slice(-4000)}`);
      });
      timings[runtime]['npm start until /running'] = Math.round(performance.now() - began);
      expect(running.status).toBe(200);
      expect(await running.json()).toEqual({ running: true });
      expect(await (await fetch(`${base}/hello/Ada`)).json()).toEqual({ message: 'Hello, Ada' });

      const token = (
        await step(runtime, 'npm run token', project, 'npm', ['run', '--silent', 'token', '--', '--scope', 'notes:write'], 60_000)
      ).trim();
      const created = await fetch(`${base}/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'from the first hour' }),
      });
      expect(created.status, server.output().slice(-2000)).toBe(201);
      expect(await created.json()).toMatchObject({ text: 'from the first hour', created_by: 'dev-user' });

      // stopped as a supervisor stops it: SIGTERM to npm alone, which hands it to its script
      const npmExit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      const pid = server.child.pid as number;
      process.kill(pid, 'SIGTERM');
      const lingering = setTimeout(() => signalGroup(pid, 'SIGKILL'), 30_000);
      const code = await npmExit;
      clearTimeout(lingering);
      expect(code, `${runtime}: npm start after SIGTERM\n${server.output().slice(-2000)}`).toBe(0);
      // the server shut down with it: the port refuses, and nothing stays in npm's process group
      await expect(fetch(`${base}/running`)).rejects.toThrow();
      await groupEmptied(pid);
    } finally {
      await stop(server.child);
    }
  }

  /** Workers: the bundle wrangler would build, served by workerd with .dev.vars as bindings. */
  async function startWorker(project: string): Promise<void> {
    const began = performance.now();
    const bundle = await build({
      entryPoints: [join(project, 'src/server.ts')],
      ...WORKERS_BUILD,
      tsconfig: join(project, 'tsconfig.json'),
      logLevel: 'silent',
    });
    const bindings = parseEnvFile(await readFile(join(project, '.dev.vars'), 'utf8'));
    const mf = new Miniflare({
      modules: [{ type: 'ESModule', path: join(project, 'worker.mjs'), contents: bundle.outputFiles[0].text }],
      modulesRoot: project,
      compatibilityDate: '2025-09-01',
      bindings,
      host: '127.0.0.1',
      port: await freePort(),
    });
    try {
      const url = await mf.ready;
      const running = await waitForHttp(new URL('/running', url).href, undefined, 60_000);
      timings.workers['bundle + workerd until /running'] = Math.round(performance.now() - began);
      expect(running.status).toBe(200);
      expect(await running.json()).toEqual({ running: true });
      expect(await (await fetch(new URL('/hello/Ada', url))).json()).toEqual({ message: 'Hello, Ada' });
    } finally {
      await mf.dispose();
    }
  }

  it.each(RUNTIMES)(
    '%s: init, npm install, npm test pass, and the started service answers /running',
    async (runtime) => {
      const home = join(scratch, runtime);
      await mkdir(home);
      const packedBin = join(scratch, 'extracted/package/bin/fetch-batteries.mjs');
      const said = await step(runtime, 'init', home, process.execPath, [packedBin, 'init', 'svc', '--runtime', runtime], 60_000);
      expect(said).toContain('cd svc\n  npm install\n  npm test\n  npm start');
      const project = join(home, 'svc');
      if (runtime === 'workers') {
        const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
        expect(pkg.devDependencies.wrangler).toBeDefined();
        delete pkg.devDependencies.wrangler;
        await writeFile(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
      }
      await step(runtime, 'npm install', project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], 300_000);
      const tested = await step(runtime, 'npm test', project, 'npm', ['test'], 240_000);
      expect(tested).toContain('stores the note, which GET /notes/:id reads back');
      // Deno's is `deno check`, which reads tsconfig.json too: deno.json keeps Deno's own types
      await step(runtime, 'npm run typecheck', project, 'npm', ['run', 'typecheck'], 180_000);
      if (runtime === 'node') {
        // the bin as npx runs it: linked into node_modules/.bin by the install
        await step(runtime, 'npx fetch-batteries init', project, 'npx', ['--no-install', 'fetch-batteries', 'init', '../via-npx'], 60_000);
        expect((await readdir(join(home, 'via-npx/src'))).sort()).toEqual(['app.ts', 'server.ts']);
        await step(runtime, 'npm run openapi', project, 'npm', ['run', 'openapi'], 120_000);
        const document = JSON.parse(await readFile(join(project, 'openapi.json'), 'utf8'));
        expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/hello/{name}', '/notes', '/notes/{id}']));
      }
      if (runtime === 'workers') await startWorker(project);
      else await startAndCall(runtime, project);
    },
    900_000,
  );
});
