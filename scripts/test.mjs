// `npm test`: every check in order, each one run even when an earlier one failed, then one summary.
// The restart run stops PostgreSQL, so it has its own vitest run after the others; a failure in
// the main run must not hide whether the restart run passes (as `a && b` would).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

// each vitest run also writes a JSON report, so the summary can end with one line of counts
const reports = mkdtempSync(join(tmpdir(), 'fb-npm-test-'));
const counted = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, `${name}.json`)}`];

const steps = [
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (core)', bin('tsc'), ['-p', 'tsconfig.core.json', '--noEmit']],
  ['typecheck (standard decorators)', bin('tsc'), ['-p', 'tsconfig.standard.json', '--noEmit']],
  ['lint', bin('biome'), ['check', '.']],
  // `npm test -- test/core` narrows the main run to those files
  ['vitest', bin('vitest'), ['run', ...counted('main'), ...process.argv.slice(2)]],
  ['vitest restart', bin('vitest'), ['run', '--config', 'vitest.restart.config.ts', ...counted('restart')]],
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

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const name of ['main', 'restart']) {
  try {
    const report = JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'));
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } catch {
    // a run that wrote no report (it crashed or never started) already shows as FAILED above
  }
}
rmSync(reports, { recursive: true, force: true });

console.log('\nnpm test:');
for (const { line } of results) console.log(`  ${line}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
