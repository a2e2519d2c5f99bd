// In-process measurements: ns per request on each runtime, through bench/in-process.ts in its own process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { nodeBuilt } from './node-build.ts';
import { ITERATIONS, log, pinned, root, SERVER_CPU } from './options.ts';
import { type BenchRequest, inProcessHeaders } from './scenario.ts';

export function requestFactory(base: string, r: BenchRequest): () => Request {
  const url = base + r.path;
  return () => new Request(url, { method: r.method, headers: inProcessHeaders(r), body: r.body });
}

/**
 * In-process ns/op on one runtime: bench/in-process.ts in its own process, pinned like the servers;
 * on Node the compiled bench (bench/node-build.ts), as a built service runs.
 */
/** The key of bench/in-process.ts's output holding what building the Request alone costs on that runtime. */
export const REQUEST_COST = '(building the Request)';

export async function inProcessOn(runtime: string, scenarioFile: string, names: string[]): Promise<Map<string, number>> {
  const bin = (n: string) => join(root, 'node_modules/.bin', n);
  const rest = [String(ITERATIONS), names.join(',')];
  const script = ['bench/in-process.ts', scenarioFile, ...rest];
  const [cmd, argv] =
    runtime === 'bun'
      ? pinned(SERVER_CPU, bin('bun'), script)
      : runtime === 'deno'
        ? pinned(SERVER_CPU, bin('deno'), ['run', '-A', '--config', 'deno.json', ...script])
        : pinned(SERVER_CPU, process.execPath, [nodeBuilt('bench/in-process.ts'), nodeBuilt(scenarioFile), ...rest]);
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
