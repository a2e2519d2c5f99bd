/**
 * `npx tsx bench/cold-start.ts [--runs 7] [--runtimes node,bun,deno] [--root dir] [--dist]`: cold start of fetch-batteries
 * against Hono: a fresh process imports the framework, builds an app with one JSON route and
 * answers its first request (bench/cold/ours.ts, bench/cold/hono.ts; no database), and the same
 * with a JWT route whose first request carries a token (bench/cold/ours-jwt.ts). Reports the
 * median wall time from the import to the first response and the process's CPU time, which is
 * steadier than wall time on a shared machine. Node runs the TypeScript source through tsx.
 * `--dist` measures the built package instead, as users run it: a copy of the root's package built
 * by its own `npm run build` (in bench/.cold-dist/), and the three scripts as plain JavaScript on
 * every runtime, Node with no loader (so Hono's numbers are its plain-Node ones too).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    runtimes: { type: 'string', default: 'node,bun,deno' },
    /** Another checkout's root, to measure its src/ with these scripts (a before/after comparison). */
    root: { type: 'string' },
    /** The built package (as `npm run build` makes it) and the scripts as JavaScript, not the TypeScript source. */
    dist: { type: 'boolean', default: false },
  },
});
const root = args.root ?? new URL('../', import.meta.url).pathname;
const bin = (n: string) => join(root, 'node_modules/.bin', n);
const command = (runtime: string, file: string): [string, string[]] =>
  runtime === 'bun'
    ? [bin('bun'), [file]]
    : runtime === 'deno'
      ? [bin('deno'), ['run', '-A', '--config', 'deno.json', file]]
      : args.dist
        ? [process.execPath, [file]]
        : [process.execPath, ['--import', 'tsx', file]];

interface Sample {
  import: number;
  total: number;
  cpu: number;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const scripts = [
  ['fetch-batteries', 'bench/cold/ours.ts'],
  // the first request verifies a bearer token: jose is loaded on the way
  ['fetch-batteries, a JWT route', 'bench/cold/ours-jwt.ts'],
  ['hono', 'bench/cold/hono.ts'],
] as const;
const env = { ...process.env };
const targets = args.dist ? buildDist() : scripts;

/** Builds a copy of the root's package with its own `npm run build`; returns the scripts, compiled to .mjs. */
function buildDist(): (readonly [string, string])[] {
  // inside this checkout, so the build's tools and `hono`, `valibot`, ... resolve from its node_modules
  const out = new URL('./.cold-dist/', import.meta.url).pathname;
  rmSync(out, { recursive: true, force: true });
  for (const entry of ['package.json', 'src', 'scripts', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(join(root, entry), join(out, 'pkg', entry), { recursive: true });
  }
  const path = `${new URL('../node_modules/.bin', import.meta.url).pathname}:${process.env.PATH ?? ''}`;
  execFileSync('npm', ['run', 'build'], { cwd: join(out, 'pkg'), stdio: 'ignore', env: { ...process.env, PATH: path } });
  env.COLD_ENTRY = join(out, 'pkg/dist/index.js');
  return scripts.map(([name, file]) => {
    const outfile = join(out, file.replace(/^bench\/cold\//, '').replace(/\.ts$/, '.mjs'));
    // this checkout's scripts (they read COLD_ENTRY), whatever the root
    buildSync({
      entryPoints: [new URL(`../${file}`, import.meta.url).pathname],
      outfile,
      format: 'esm',
      platform: 'neutral',
      logLevel: 'warning',
    });
    return [name, outfile] as const;
  });
}

const rows: string[] = [
  '| runtime | framework | import ms | import + app + first request ms | CPU ms | × Hono (CPU) |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const runtime of (args.runtimes ?? '').split(',')) {
  const results = new Map<string, Sample[]>(targets.map(([name]) => [name, []]));
  // interleaved, so a noisy neighbour hits every target alike
  for (let i = 0; i < Number(args.runs); i++) {
    for (const [name, file] of targets) {
      const [cmd, argv] = command(runtime, file);
      const out = execFileSync(cmd, argv, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      results.get(name)?.push(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample);
    }
  }
  const honoCpu = median((results.get('hono') ?? []).map((s) => s.cpu));
  for (const [name, samples] of results) {
    const cpu = median(samples.map((s) => s.cpu));
    const cells = [runtime, name, median(samples.map((s) => s.import)), median(samples.map((s) => s.total)), cpu];
    rows.push(`| ${cells.map((c) => (typeof c === 'number' ? c.toFixed(1) : c)).join(' | ')} | ${(cpu / honoCpu).toFixed(2)}× |`);
  }
  process.stderr.write(`${runtime} done\n`);
}
process.stdout.write(`${rows.join('\n')}\n`);
// the built copy is only for this run (and would otherwise be type-checked and linted with bench/)
if (args.dist) rmSync(new URL('./.cold-dist/', import.meta.url).pathname, { recursive: true, force: true });
