// Loopback HTTP measurements: one server process per target, loaded by wrk (or autocannon), with its CPU time per request.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/runtime/targets.ts';
import { nodeBuilt } from './node-build.ts';
import { args, HTTP_ROUNDS, log, median, pinned, root, SERVER_CPU } from './options.ts';
import type { BenchRequest, Scenario } from './scenario.ts';

export interface HttpResult {
  rps: number | string;
  cpuUs?: number;
}

function serverCommand(runtime: string): [string, string[]] {
  const bin = (n: string) => join(root, 'node_modules/.bin', n);
  if (runtime === 'bun') return pinned(SERVER_CPU, bin('bun'), ['bench/serve.ts']);
  if (runtime === 'deno') return pinned(SERVER_CPU, bin('deno'), ['run', '-A', '--config', 'deno.json', 'bench/serve.ts']);
  // the compiled bench, as a built service runs (bench/node-build.ts)
  return pinned(SERVER_CPU, process.execPath, [nodeBuilt('bench/serve.ts')]);
}

async function startServer(runtime: string, scenarioFile: string, target: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const [cmd, argv] = serverCommand(runtime);
  const child = spawn(cmd, argv, {
    cwd: root,
    // request log lines go to standard output, a pipe drained below, as in a container
    env: {
      ...process.env,
      NO_COLOR: '1',
      BENCH_LOG: 'stdout',
      BENCH_SCENARIO: runtime === 'node' ? nodeBuilt(scenarioFile) : scenarioFile,
      BENCH_TARGET: target,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} server for ${target} did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      // once listening, the log lines are read and thrown away: a drained pipe, nothing kept
      if (ready) return;
      out += d;
      if (out.includes('READY')) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d) => {
      if (!ready) out += d;
    });
    child.once('exit', (code) => reject(new Error(`${runtime} server for ${target} exited (${code}):\n${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

/** utime + stime of a process in µs, from /proc (Linux); undefined elsewhere. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (USER_HZ, 100 on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return undefined;
  }
}

export const hasWrk = ['/usr/bin/wrk', '/usr/local/bin/wrk'].some((p) => existsSync(p));

async function load(url: string, r: BenchRequest, seconds: number): Promise<{ rps: number; bad: number; requests: number }> {
  if (hasWrk) return wrk(url, r, seconds);
  // untyped package, and only needed without wrk
  const name: string = 'autocannon';
  const { default: autocannon } = await import(name);
  const result = await autocannon({
    url: url + r.path,
    method: r.method as 'GET',
    headers: r.headers,
    body: r.body,
    connections: Number(args.connections),
    duration: seconds,
  });
  return { rps: result.requests.average, bad: result.non2xx, requests: result.requests.total };
}

async function wrk(url: string, r: BenchRequest, seconds: number): Promise<{ rps: number; bad: number; requests: number }> {
  const script = join(tmpdir(), `fb-bench-${process.pid}.lua`);
  const headers = Object.entries(r.headers ?? {})
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  await writeFile(
    script,
    `wrk.method = ${JSON.stringify(r.method)}\n${r.body ? `wrk.body = ${JSON.stringify(r.body)}\n` : ''}${headers}\n`,
  );
  const [cmd, argv] = pinned('0', 'wrk', ['-t1', `-c${args.connections}`, `-d${seconds}s`, '-s', script, url + r.path]);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(cmd, argv, (error, out) => (error ? reject(error) : resolve(out))),
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const bad = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? Number.NaN);
  return { rps, bad, requests };
}

/**
 * req/s per target on one runtime: every target's server is started, then ROUNDS interleaved
 * load rounds run (so a noisy neighbour hits every target alike) and the median round is kept.
 */
export async function overHttp(
  runtime: string,
  scenarioFile: string,
  scenario: Scenario,
  names: string[],
): Promise<Map<string, HttpResult>> {
  const results = new Map<string, HttpResult>();
  const servers = new Map<string, { url: string; child: ChildProcess }>();
  // wrk takes whole seconds
  const seconds = Math.max(1, Math.round(Number(args.duration) / HTTP_ROUNDS));
  try {
    for (const name of names) {
      try {
        const server = await startServer(runtime, scenarioFile, name);
        servers.set(name, server);
        await load(server.url, scenario.request, 1); // warm-up (JIT, connections)
      } catch (error) {
        log(`  ${runtime} ${name}: ${(error as Error).message.split('\n')[0]}`);
        results.set(name, { rps: 'failed' });
      }
    }
    const samples = new Map<string, number[]>([...servers.keys()].map((n) => [n, []]));
    const cpu = new Map<string, number[]>([...servers.keys()].map((n) => [n, []]));
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      for (const [name, server] of servers) {
        const before = cpuMicros(server.child.pid);
        const outcome = await load(server.url, scenario.request, seconds).catch((error: Error) => {
          log(`  ${runtime} ${name}: load failed: ${error.message.split('\n')[0]}`);
          return undefined;
        });
        const after = cpuMicros(server.child.pid);
        if (outcome === undefined) {
          results.set(name, { rps: 'failed' });
          continue;
        }
        const { rps, bad, requests } = outcome;
        if (bad > 0 && scenario.expectStatus < 300) results.set(name, { rps: `${bad} non-2xx` });
        samples.get(name)?.push(rps);
        if (before !== undefined && after !== undefined && requests > 0) cpu.get(name)?.push((after - before) / requests);
      }
    }
    for (const [name, s] of samples) {
      const c = cpu.get(name) ?? [];
      if (!results.has(name)) results.set(name, { rps: median(s), cpuUs: c.length > 0 ? median(c) : undefined });
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => stop(s.child)));
  }
  return results;
}
