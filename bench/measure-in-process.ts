// In-process measurements: ns per request on Node here, and on Bun and Deno through bench/in-process.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ITERATIONS, log, median, pinned, ROUNDS, root, SERVER_CPU } from './options.ts';
import { type BenchRequest, type BenchTarget, inProcessHeaders } from './scenario.ts';

export function requestFactory(base: string, r: BenchRequest): () => Request {
  const url = base + r.path;
  return () => new Request(url, { method: r.method, headers: inProcessHeaders(r), body: r.body });
}

/** ns per request, the median of ROUNDS interleaved rounds (so drift hits every target alike). */
export async function inProcess(targets: BenchTarget[], make: () => Request): Promise<Map<string, number>> {
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
export async function inProcessOn(runtime: string, scenarioFile: string, names: string[]): Promise<Map<string, number>> {
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
export function constructionCost(make: () => Request): number {
  for (let i = 0; i < 20_000; i++) make();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) make();
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}
