// The benchmark's command-line options and the CPU pinning shared by its measurements (see bench/run.ts).
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

export const { values: args } = parseArgs({
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
export const root = new URL('../', import.meta.url).pathname;
if (args.quick) {
  if (!process.argv.includes('--iterations')) args.iterations = '50000';
  if (!process.argv.includes('--duration')) args.duration = '3';
}
export const ITERATIONS = Number(args.iterations);
export const ROUNDS = 5;
export const HTTP_ROUNDS = 3;

export const log = (line: string) => process.stderr.write(`${line}\n`);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * With two or more cores and taskset (util-linux), the server runs on the last core and the load
 * generator on the first: otherwise the scheduler moves them onto one core now and then, and
 * the same target's CPU per request swings by half between rounds.
 */
export const PIN = cpus().length >= 2 && ['/usr/bin/taskset', '/bin/taskset'].some((p) => existsSync(p));
export const SERVER_CPU = String(cpus().length - 1);
export const pinned = (cpu: string, cmd: string, argv: string[]): [string, string[]] =>
  PIN ? ['taskset', ['-c', cpu, cmd, ...argv]] : [cmd, argv];
