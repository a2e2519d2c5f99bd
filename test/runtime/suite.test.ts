/**
 * ONE black-box HTTP suite, run against every target: in-process `app.fetch`, and real Node, Bun,
 * Deno and workerd (Miniflare, no nodejs_compat) processes serving examples/app.
 *
 * To add cases: create `test/runtime/cases/<area>.ts` whose default export is a `CaseFile`
 * (`(target) => { it('...', async () => { const res = await target().fetch('/path'); ... }) }`).
 * Every file in cases/ is picked up automatically. Variables your battery needs go in env.ts.
 * Only one target (or a few): RUNTIME_TARGETS=node,bun npx vitest run test/runtime
 *
 * Every target serves the demo compiled both ways: with TypeScript's default (standard)
 * decorators, where every case runs, and with experimentalDecorators (legacy: the demo's
 * parameter-decorator controllers), where the decorator-heavy cases run (LEGACY_CASES): the
 * runtimes are what differ, and the machine's two cores are shared. One mode:
 * DECORATOR_MODES=legacy npx vitest run test/runtime
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import { removeTemporaryModules } from '../support/standard-build.ts';
import type { CaseFile } from './case.ts';
import { targetEnv } from './env.ts';
import { DECORATOR_MODES, skipTarget, startTarget, TARGETS, type Target } from './targets.ts';

const caseDir = new URL('./cases/', import.meta.url);
const caseFiles = readdirSync(caseDir)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const cases: [string, CaseFile][] = await Promise.all(
  caseFiles.map(async (f) => [f.replace(/\.ts$/, ''), (await import(new URL(f, caseDir).href)).default as CaseFile] as [string, CaseFile]),
);

/** The case files that also run against the legacy build: they cover every decorator and parameter kind. */
const LEGACY_CASES = ['core', 'decorators', 'security'];

const only = process.env.RUNTIME_TARGETS?.split(',').map((s) => s.trim());
const onlyModes = process.env.DECORATOR_MODES?.split(',').map((s) => s.trim());
const modes = DECORATOR_MODES.filter((m) => !onlyModes || onlyModes.includes(m));
const selected = TARGETS.filter((t) => !only || only.includes(t));
// a target that cannot run here (workerd without TEST_DATABASE_URL) says why once; its cases show as skipped
const targets = selected.filter((t) => !skipTarget(t));
const runs = selected.flatMap((name) => modes.map((mode) => ({ name, mode, label: `${name} (${mode} decorators)` })));

// Start every runtime at once: the slowest start, not the sum, is what the suite waits for.
const started = new Map<string, Promise<Target>>();
const t0 = performance.now();
beforeAll(() => {
  for (const run of runs.filter((r) => targets.includes(r.name))) {
    const p = startTarget(run.name, { ...targetEnv }, run.mode).then((target) => {
      // names every target in the test output, passing or not
      console.info(`runtime: ${run.label} ready at ${target.baseUrl} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return target;
    });
    p.catch(() => {}); // reported by the describe that needs it
    started.set(run.label, p);
  }
});
afterAll(async () => {
  await Promise.allSettled([...started.values()].map(async (p) => (await p).stop()));
  removeTemporaryModules(); // the in-process standard build
});

describe.each(runs)('runtime: $label', (run) => {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await started.get(run.label);
  });
  const ref = () => {
    if (!target) throw new Error(`${run.label} did not start`);
    return target;
  };
  for (const [area, register] of cases) {
    if (run.mode === 'standard' || LEGACY_CASES.includes(area)) describe.skipIf(!targets.includes(run.name))(area, () => register(ref));
  }
});
