/**
 * `npm run bench [-- --only plain-json,validated-post] [--runtimes node,bun,deno] [--iterations 200000]
 *   [--duration 5] [--connections 32] [--targets hono,itty] [--no-http] [--no-in-process] [--quick] [--out file]`
 * Loads bench/scenarios/*.ts, checks every target answers the expected status, then measures each
 * target in process (ns/op: build the Request, `await target.fetch(request)`, read the body; on Node
 * here, on Bun and Deno through bench/in-process.ts) and over loopback HTTP (req/s with wrk, or autocannon when wrk is missing; one server process per target),
 * and writes bench/RESULTS.md. Not a test: numbers depend on the machine and its load.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/runtime/targets.ts';
import type { BenchRequest, BenchTarget, Scenario } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runtimes: { type: 'string', default: 'node,bun,deno' },
    iterations: { type: 'string', default: '200000' },
    duration: { type: 'string', default: '6' },
    connections: { type: 'string', default: '32' },
    'no-http': { type: 'boolean', default: false },
    'no-in-process': { type: 'boolean', default: false },
    /** About a third of the time: 50 000 requests in process, 3 s of load per target and runtime. */
    quick: { type: 'boolean', default: false },
    /** Comma-separated target names (prefixes) to keep, e.g. `hono,fetch-batteries (testing`. */
    targets: { type: 'string' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
  },
});
const root = new URL('../', import.meta.url).pathname;
if (args.quick) {
  if (!process.argv.includes('--iterations')) args.iterations = '50000';
  if (!process.argv.includes('--duration')) args.duration = '3';
}
const ITERATIONS = Number(args.iterations);
const ROUNDS = 5;
const HTTP_ROUNDS = 3;

interface Row {
  scenario: string;
  target: string;
  nsPerOp?: number;
  /** In-process ns/op on Bun and Deno. */
  nsOn: Record<string, number | undefined>;
  reqPerSec: Record<string, number | string>;
  /** Server CPU time (user + system) per request, in µs: steadier than req/s on a shared machine. */
  cpuUs: Record<string, number | undefined>;
}

interface HttpResult {
  rps: number | string;
  cpuUs?: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function requestFactory(base: string, r: BenchRequest): () => Request {
  const url = base + r.path;
  return () => new Request(url, { method: r.method, headers: r.headers, body: r.body });
}

/** ns per request, the median of ROUNDS interleaved rounds (so drift hits every target alike). */
async function inProcess(targets: BenchTarget[], make: () => Request): Promise<Map<string, number>> {
  const per = Math.max(1, Math.floor(ITERATIONS / ROUNDS));
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (const t of targets) for (let i = 0; i < Math.min(per, 20_000); i++) await (await t.fetch(make())).arrayBuffer();
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < per; i++) await (await t.fetch(make())).arrayBuffer();
      samples.get(t.name)?.push(Number(process.hrtime.bigint() - start) / per);
    }
  }
  return new Map([...samples].map(([name, s]) => [name, median(s)]));
}

/** In-process ns/op on Bun or Deno: bench/in-process.ts in that runtime, pinned like the servers. */
async function inProcessOn(runtime: string, scenarioFile: string, names: string[]): Promise<Map<string, number>> {
  const bin = (n: string) => join(root, 'node_modules/.bin', n);
  const script = ['bench/in-process.ts', scenarioFile, String(ITERATIONS), names.join(',')];
  const [cmd, argv] =
    runtime === 'bun'
      ? pinned(SERVER_CPU, bin('bun'), script)
      : pinned(SERVER_CPU, bin('deno'), ['run', '-A', '--config', 'deno.json', ...script]);
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(cmd, argv, { cwd: root, maxBuffer: 1 << 20, timeout: 600_000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    const last = stdout.trim().split('\n').pop() ?? '{}';
    return new Map(Object.entries(JSON.parse(last) as Record<string, number>));
  } catch (error) {
    log(`  ${runtime} in process: ${(error as Error).message.split('\n')[0]}`);
    return new Map();
  }
}

/** What building the Request alone costs (included in every ns/op above). */
function constructionCost(make: () => Request): number {
  for (let i = 0; i < 20_000; i++) make();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) make();
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * With two or more cores and taskset (util-linux), the server runs on the last core and the load
 * generator on the first: otherwise the scheduler moves them onto one core now and then, and
 * the same target's CPU per request swings by half between rounds.
 */
const PIN = cpus().length >= 2 && ['/usr/bin/taskset', '/bin/taskset'].some((p) => existsSync(p));
const SERVER_CPU = String(cpus().length - 1);
const pinned = (cpu: string, cmd: string, argv: string[]): [string, string[]] =>
  PIN ? ['taskset', ['-c', cpu, cmd, ...argv]] : [cmd, argv];

function serverCommand(runtime: string): [string, string[]] {
  const bin = (n: string) => join(root, 'node_modules/.bin', n);
  if (runtime === 'bun') return pinned(SERVER_CPU, bin('bun'), ['bench/serve.ts']);
  if (runtime === 'deno') return pinned(SERVER_CPU, bin('deno'), ['run', '-A', '--config', 'deno.json', 'bench/serve.ts']);
  return pinned(SERVER_CPU, process.execPath, ['--import', 'tsx', 'bench/serve.ts']);
}

async function startServer(runtime: string, scenarioFile: string, target: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const [cmd, argv] = serverCommand(runtime);
  const child = spawn(cmd, argv, {
    cwd: root,
    // request log lines go to standard output, a pipe drained below, as in a container
    env: { ...process.env, NO_COLOR: '1', BENCH_LOG: 'stdout', BENCH_SCENARIO: scenarioFile, BENCH_TARGET: target, PORT: String(port) },
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

const hasWrk = ['/usr/bin/wrk', '/usr/local/bin/wrk'].some((p) => existsSync(p));

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
async function overHttp(runtime: string, scenarioFile: string, scenario: Scenario, names: string[]): Promise<Map<string, HttpResult>> {
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

async function main(): Promise<void> {
  const only = args.only?.split(',').map((s) => s.trim());
  const files = readdirSync(join(root, 'bench/scenarios'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .filter((f) => !only || only.includes(f.replace(/\.ts$/, '')));
  const runtimes = (args.runtimes ?? 'node').split(',').map((s) => s.trim());
  // --no-http skips the servers, not the runtimes: their in-process numbers are still measured
  const httpRuntimes = args['no-http'] ? [] : runtimes;
  const inProcessRuntimes = args['no-in-process'] ? [] : runtimes;
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const scenarioFile = `bench/scenarios/${file}`;
    const scenario = (await import(new URL(`../${scenarioFile}`, import.meta.url).href)).default as Scenario;
    log(`${scenario.name}: ${scenario.description}`);
    const keep = args.targets?.split(',').map((s) => s.trim());
    const targets = (await scenario.targets()).filter((t) => !keep || keep.some((k) => t.name.startsWith(k)));
    const make = requestFactory('http://bench.local', scenario.request);
    for (const t of targets) {
      const res = await t.fetch(make());
      if (res.status !== scenario.expectStatus) throw new Error(`${scenario.name}/${t.name} answered ${res.status}: ${await res.text()}`);
    }
    const ns = args['no-in-process'] ? new Map<string, number>() : await inProcess(targets, make);
    if (!args['no-in-process']) {
      const build = constructionCost(make);
      notes.push(`${scenario.name}: building the Request alone costs ${Math.round(build)} ns (included in ns/op).`);
    }
    await Promise.all(targets.map((t) => t.close?.()));
    const nsOn = new Map<string, Map<string, number>>();
    if (!args['no-in-process']) {
      for (const runtime of runtimes.filter((rt) => rt !== 'node')) {
        nsOn.set(
          runtime,
          await inProcessOn(
            runtime,
            scenarioFile,
            targets.map((t) => t.name),
          ),
        );
      }
    }
    const http = new Map<string, Map<string, HttpResult>>();
    for (const runtime of httpRuntimes) {
      http.set(
        runtime,
        await overHttp(
          runtime,
          scenarioFile,
          scenario,
          targets.map((t) => t.name),
        ),
      );
    }
    for (const t of targets) {
      const row: Row = { scenario: scenario.name, target: t.name, nsPerOp: ns.get(t.name), nsOn: {}, reqPerSec: {}, cpuUs: {} };
      for (const runtime of runtimes) {
        row.nsOn[runtime] = runtime === 'node' ? row.nsPerOp : nsOn.get(runtime)?.get(t.name);
        const result = http.get(runtime)?.get(t.name);
        row.reqPerSec[runtime] = result?.rps ?? '-';
        row.cpuUs[runtime] = result?.cpuUs;
      }
      const perRuntime = httpRuntimes.map((rt) => `${rt} ${fmt(row.reqPerSec[rt])} req/s ${row.cpuUs[rt]?.toFixed(1) ?? '-'} µs CPU/req`);
      const inProc = inProcessRuntimes.map((rt) => `${rt} ${fmt(row.nsOn[rt])}`).join(', ');
      log(`  ${t.name}: ns/op in process ${inProc}; ${perRuntime.join(', ')}`);
      rows.push(row);
    }
  }
  const markdown = render(rows, inProcessRuntimes, httpRuntimes, notes);
  const out = args.out ?? 'bench/RESULTS.md';
  const path = out.startsWith('/') ? out : join(root, out);
  // the cold-start table is written by bench/cold-start.ts, not here: keep it
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const cold = previous.indexOf('\n## Cold start');
  await writeFile(path, cold === -1 ? markdown : `${markdown}${previous.slice(cold)}`);
  process.stdout.write(markdown);
}

const fmt = (x: number | string | undefined) => (typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : (x ?? '-'));
const ratio = (a: number | string | undefined, b: number | string | undefined) =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(2)}×` : '-';

/** A markdown table padded the way Biome formats one (so `npm run lint` accepts RESULTS.md). */
function markdownTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function render(rows: Row[], inProcessRuntimes: string[], httpRuntimes: string[], notes: string[]): string {
  const bare = (s: string) => rows.find((r) => r.scenario === s && r.target.startsWith('itty-router'));
  // the JWT scenarios compare with Hono + jose, their Hono doing the same check
  const hono = (s: string) =>
    rows.find((r) => r.scenario === s && r.target === 'hono') ?? rows.find((r) => r.scenario === s && r.target === 'hono + jose');
  // Hono doing the batteries' work too (bench/frameworks.ts), where a scenario has it
  const honoSame = (s: string) => rows.find((r) => r.scenario === s && r.target === 'hono + the same batteries');
  const same = rows.some((r) => honoSame(r.scenario) !== undefined);
  const head = [
    'scenario',
    'target',
    ...inProcessRuntimes.flatMap((rt) => [`${rt} in-process ns/op`, `${rt} × bare itty`]),
    ...httpRuntimes.flatMap((rt) => [
      `${rt} req/s`,
      `${rt} × Hono`,
      `${rt} CPU µs/req`,
      `${rt} × Hono (CPU)`,
      ...(same ? [`${rt} × Hono + batteries (CPU)`] : []),
    ]),
  ];
  const table: string[][] = [];
  for (const r of rows) {
    const cells = [
      r.scenario,
      r.target,
      ...inProcessRuntimes.flatMap((rt) => [fmt(r.nsOn[rt]), ratio(r.nsOn[rt], bare(r.scenario)?.nsOn[rt])]),
      ...httpRuntimes.flatMap((rt) => [
        fmt(r.reqPerSec[rt]),
        ratio(r.reqPerSec[rt], hono(r.scenario)?.reqPerSec[rt]),
        r.cpuUs[rt]?.toFixed(1) ?? '-',
        // Hono's CPU per request over ours: the throughput ratio if each had the CPU to itself
        ratio(hono(r.scenario)?.cpuUs[rt], r.cpuUs[rt]),
        ...(same ? [ratio(honoSame(r.scenario)?.cpuUs[rt], r.cpuUs[rt])] : []),
      ]),
    ];
    table.push(cells);
  }
  const lines = markdownTable(head, table);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.versions.node}`;
  const loader = `${hasWrk ? `wrk -t1 -c${args.connections}` : `autocannon -c${args.connections}`}${PIN ? ` (wrk on core 0, the server on core ${SERVER_CPU})` : ''}`;
  return [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${machine}.`,
    inProcessRuntimes.length === 0
      ? 'In process: not measured (--no-in-process).'
      : `In process: median of ${ROUNDS} interleaved rounds, ${ITERATIONS.toLocaleString('en-US')} requests per target (Bun and Deno: bench/in-process.ts, pinned to core ${SERVER_CPU}).`,
    'Request log lines: to standard output, a pipe the runner drains, in the server processes; formatted and then discarded in process.',
    httpRuntimes.length === 0
      ? 'HTTP: not measured (--no-http).'
      : `HTTP: one server process per target on loopback, ${loader}, median of ${HTTP_ROUNDS} interleaved rounds (${args.duration} s in all per target) after a 1 s warm-up; Node serves with @hono/node-server, Bun with Bun.serve, Deno with Deno.serve.`,
    '',
    "`× Hono (CPU)` is Hono's server CPU time per request divided by the target's: the req/s ratio each would reach with a core to itself. It is steadier than raw req/s when other work shares the machine.",
    '',
    ...lines,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

await main();
