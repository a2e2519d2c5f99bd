/**
 * `npm run bench [-- --only plain-json,validated-post] [--runtimes node,bun,deno] [--iterations 200000]
 *   [--duration 5] [--connections 32] [--targets hono,itty] [--no-http] [--no-in-process] [--quick] [--out file]`
 * Loads bench/scenarios/*.ts, checks every target answers the expected status, then measures each
 * target in process (ns/op: build the Request, `await target.fetch(request)`, read the body; on each
 * runtime through bench/in-process.ts, Node's compiled first by bench/node-build.ts) and over loopback HTTP (req/s with wrk, or autocannon when wrk is missing; one server process per target),
 * and writes bench/RESULTS.md. Not a test: numbers depend on the machine and its load.
 * The options are read in bench/options.ts, the measurements in bench/measure-in-process.ts and
 * bench/measure-http.ts, the table in bench/render.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HttpResult, overHttp } from './measure-http.ts';
import { inProcessOn, REQUEST_COST, requestFactory } from './measure-in-process.ts';
import { removeNodeBuild } from './node-build.ts';
import { args, log, root } from './options.ts';
import { fmt, type Row, render } from './render.ts';
import type { Scenario } from './scenario.ts';

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
    await Promise.all(targets.map((t) => t.close?.()));
    const nsOn = new Map<string, Map<string, number>>();
    if (!args['no-in-process']) {
      for (const runtime of runtimes) {
        nsOn.set(
          runtime,
          await inProcessOn(
            runtime,
            scenarioFile,
            targets.map((t) => t.name),
          ),
        );
      }
      // measured in each runtime's own process, as the targets are
      const costs = runtimes.map((rt) => `${Math.round(nsOn.get(rt)?.get(REQUEST_COST) ?? Number.NaN)} ns on ${rt}`);
      notes.push(`${scenario.name}: building the Request alone costs ${costs.join(', ')} (included in ns/op).`);
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
      const row: Row = { scenario: scenario.name, target: t.name, nsOn: {}, reqPerSec: {}, cpuUs: {} };
      for (const runtime of runtimes) {
        row.nsOn[runtime] = nsOn.get(runtime)?.get(t.name);
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

try {
  await main();
} finally {
  removeNodeBuild();
}
