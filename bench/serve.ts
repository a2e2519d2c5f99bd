/**
 * Serves one benchmark target over HTTP in its own process, on whichever runtime runs this file:
 *   BENCH_SCENARIO=bench/scenarios/plain-json.ts BENCH_TARGET=hono PORT=8081 tsx bench/serve.ts
 *   (or `bun bench/serve.ts`, `deno run -A --config deno.json bench/serve.ts`). Prints READY when listening.
 * A fetch-batteries target is served by its runtime's adapter (`fetch-batteries/node`, `/bun`,
 * `/deno`), as deployed; the others by @hono/node-server on Node, Bun.serve and Deno.serve.
 */
import { syncHandler } from '../src/app/sync-handler.ts';
import type { BenchTarget, Scenario } from './scenario.ts';

const g = globalThis as unknown as {
  Bun?: { serve(options: { port: number; hostname: string; development: boolean; fetch: (r: Request) => unknown }): unknown };
  Deno?: { serve(options: { port: number; hostname: string; onListen(): void }, handler: (r: Request) => unknown): unknown };
};

const scenarioPath = process.env.BENCH_SCENARIO ?? '';
const targetName = process.env.BENCH_TARGET ?? '';
const port = Number(process.env.PORT ?? 8081);
const hostname = '127.0.0.1';

// an absolute path is a built scenario (bench/node-build.ts), else a bench/ path from the root
const scenarioUrl = scenarioPath.startsWith('/') ? `file://${scenarioPath}` : new URL(`../${scenarioPath}`, import.meta.url).href;
const scenario = (await import(scenarioUrl)).default as Scenario;
const target = (await scenario.targets()).find((t: BenchTarget) => t.name === targetName);
if (!target) throw new Error(`no target "${targetName}" in ${scenarioPath}`);
const fetch = (request: Request) => target.fetch(request);

if (target.app !== undefined) {
  // ours through its runtime's adapter, as a service deploys it: the warm-up, the runtime's client
  // address for the request log, the synchronous handler, and shutdown on SIGTERM (exit 0)
  const adapter = g.Bun
    ? await import('../src/adapters/bun.ts')
    : g.Deno
      ? await import('../src/adapters/deno.ts')
      : await import('../src/adapters/node.ts');
  await adapter.serve(target.app, { port, hostname });
  console.log('READY');
} else if (g.Bun) {
  g.Bun.serve({ port, hostname, development: false, fetch });
  console.log('READY');
} else if (g.Deno) {
  g.Deno.serve({ port, hostname, onListen: () => console.log('READY') }, fetch);
} else {
  const { serve } = await import('@hono/node-server');
  // exactly what fetch-batteries/node's serve() passes node-server (Hono's fetch is synchronous already)
  serve({ fetch: syncHandler(target.fetch), port, hostname }, () => console.log('READY'));
  // exit normally on a signal, so `node --cpu-prof` writes its profile
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
}
