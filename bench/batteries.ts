/**
 * `npx tsx bench/batteries.ts [iterations] [--http]`: what each observability battery costs per request,
 * measured on its own (ns/op, fastest of 5 rounds), on the same GET /hello request the
 * plain-json scenario sends. Complements `npm run bench -- --only observability`, which measures
 * the whole app with the batteries switched on one at a time. `--http` also serves each target on
 * Node (@hono/node-server) and loads it with wrk, reporting req/s and the server's CPU time per
 * request (read from /proc: far steadier than req/s when other processes share the machine).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { consoleJsonLogger, HttpMetrics, MetricsRegistry, requestIdFrom, requestLogger, silentLogger } from '../src/index.ts';
import { RequestContext, stateOf } from '../src/kernel/context.ts';
import { serverTiming, standardHeaders } from '../src/kernel/headers.ts';
import observability from './scenarios/observability.ts';

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 500_000);
const ROUNDS = 5;

function measure(name: string, fn: () => unknown): [string, number] {
  for (let i = 0; i < 50_000; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / N);
  }
  // the fastest round: on a shared machine the others measure the neighbours
  return [name, Math.min(...rounds)];
}

const plain = new Request('http://bench.local/hello');
const withId = new Request('http://bench.local/hello', { headers: { 'x-request-id': '3f0c7a4e-1d2b-4c5d-9e8f-0a1b2c3d4e5f' } });
const ctx = new RequestContext(plain, {}, undefined, 'id', silentLogger, performance.now(), '/hello', 1 << 20);
ctx.route = '/hello';
ctx.addTiming('handler', 0.02);
const response = new Response('{"message":"Hello, world"}', { headers: { 'content-type': 'application/json' } });
const metrics = new HttpMetrics(new MetricsRegistry());
const logJson = requestLogger(consoleJsonLogger('info', () => {}));
const logSilent = requestLogger(silentLogger);
const registry = new MetricsRegistry();
const scrapeMetrics = new HttpMetrics(registry);
for (const route of ['/a', '/b/:id', '/c', '/d/:x/e'])
  for (const status of [200, 404, 500]) scrapeMetrics.observe(route, 'GET', status, 0.01);

const rows = [
  measure('X-Request-ID: new UUID (no incoming id)', () => requestIdFrom(plain)),
  measure('X-Request-ID: incoming id validated and kept', () => requestIdFrom(withId)),
  measure('Server-Timing value (total + handler)', () => serverTiming(stateOf(ctx), ctx.start)),
  measure('all five standard headers as one literal', () => standardHeaders(ctx, undefined)),
  measure('metrics: http_requests_total + duration histogram', () => metrics.observe('/hello', 'GET', 200, 0.000123)),
  measure('request log: JSON line to a no-op sink', () => logJson(ctx, response, 0.123)),
  measure('request log: level disabled (skipped)', () => logSilent(ctx, response, 0.123)),
];
const scrape: [string, number] = await (async () => {
  for (let i = 0; i < 200; i++) await registry.scrape();
  const start = process.hrtime.bigint();
  for (let i = 0; i < 2000; i++) await registry.scrape();
  return ['/metrics scrape, 12 series (not per request)', Number(process.hrtime.bigint() - start) / 2000];
})();

console.log(`Node ${process.versions.node}, ${N.toLocaleString('en-US')} iterations x ${ROUNDS} rounds\n`);
console.log('| battery | ns/op |\n| --- | --- |');
for (const [name, ns] of [...rows, scrape]) console.log(`| ${name} | ${Math.round(ns).toLocaleString('en-US')} |`);

// The whole app, batteries on one at a time: interleaved rounds, fastest round per target.
const targets = await observability.targets();
const APP_N = Math.max(1000, Math.floor(N / 10));
const make = () => new Request('http://bench.local/hello');
const best = new Map<string, number>();
for (const t of targets) for (let i = 0; i < 20_000; i++) await (await t.fetch(make())).arrayBuffer();
for (let r = 0; r < ROUNDS * 2; r++) {
  for (const t of targets) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < APP_N; i++) await (await t.fetch(make())).arrayBuffer();
    const ns = Number(process.hrtime.bigint() - start) / APP_N;
    best.set(t.name, Math.min(best.get(t.name) ?? Number.POSITIVE_INFINITY, ns));
  }
}
const bare = best.get('itty-router (bare)') ?? Number.NaN;
console.log(
  `\n| whole app, GET /hello (${APP_N.toLocaleString('en-US')} requests x ${ROUNDS * 2} rounds) | ns/op | x bare itty-router |\n| --- | --- | --- |`,
);
for (const [name, ns] of best) console.log(`| ${name} | ${Math.round(ns).toLocaleString('en-US')} | ${(ns / bare).toFixed(2)} |`);
await Promise.all(targets.map((t) => t.close?.()));

if (process.argv.includes('--http')) await overHttp(targets.map((t) => t.name));

/** CPU ticks (user + system) the process has used. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function overHttp(names: string[]): Promise<void> {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const results = new Map<string, { rps: number; cpuUs: number }>();
  let port = 18_400 + Math.floor(Math.random() * 500);
  for (let round = 0; round < 3; round++) {
    for (const name of names) {
      port++;
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve.ts'], {
        env: { ...process.env, BENCH_SCENARIO: 'bench/scenarios/observability.ts', BENCH_TARGET: name, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 120_000);
          child.stdout?.on('data', (d: Buffer) => {
            if (d.toString().includes('READY')) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        const url = `http://127.0.0.1:${port}/hello`;
        execFileSync('wrk', ['-t1', '-c16', '-d2s', url]);
        const before = cpuTicks(child.pid as number);
        const out = execFileSync('wrk', ['-t1', '-c16', '-d4s', url], { encoding: 'utf8' });
        const cpuSeconds = (cpuTicks(child.pid as number) - before) / ticksPerSecond;
        const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
        const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
        const cpuUs = (cpuSeconds * 1e6) / requests;
        const prev = results.get(name);
        results.set(name, { rps: Math.max(prev?.rps ?? 0, rps), cpuUs: Math.min(prev?.cpuUs ?? Number.POSITIVE_INFINITY, cpuUs) });
      } finally {
        child.kill('SIGTERM');
      }
    }
  }
  const hono = results.get('hono');
  console.log(
    '\n| over HTTP on Node (wrk -c16, best of 3 interleaved runs) | req/s | x Hono | server CPU us/req | x Hono |\n| --- | --- | --- | --- | --- |',
  );
  for (const [name, r] of results) {
    const cells = [
      Math.round(r.rps).toLocaleString('en-US'),
      hono ? (r.rps / hono.rps).toFixed(2) : '-',
      r.cpuUs.toFixed(1),
      hono ? (r.cpuUs / hono.cpuUs).toFixed(2) : '-',
    ];
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}
