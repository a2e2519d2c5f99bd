// `npm test`: every check in order, each one run even when an earlier one failed, then one summary.
// The restart run stops PostgreSQL, so it has its own vitest run after the others; a failure in
// the main run must not hide whether the restart run passes (as `a && b` would).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

const steps = [
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (core)', bin('tsc'), ['-p', 'tsconfig.core.json', '--noEmit']],
  ['lint', bin('biome'), ['check', '.']],
  // `npm test -- test/core` narrows the main run to those files
  ['vitest', bin('vitest'), ['run', ...process.argv.slice(2)]],
  ['vitest restart', bin('vitest'), ['run', '--config', 'vitest.restart.config.ts']],
];

if (!process.env.TEST_DATABASE_URL?.trim()) {
  console.log('TEST_DATABASE_URL is not set: the PostgreSQL-backed suites are skipped, each says so (.ci/run sets it)');
}

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n> ${name}: ${[command.replace(root, ''), ...args].join(' ')}`);
  const start = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  const ok = run.status === 0;
  const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`;
  results.push({ name, ok, line: `${ok ? 'ok    ' : 'FAILED'} ${name} (${seconds} s${ok ? '' : `, ${why}`})` });
}

console.log('\nnpm test:');
for (const { line } of results) console.log(`  ${line}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
