/**
 * ONE black-box HTTP suite, run against every target: in-process `app.fetch`, and real Node, Bun,
 * Deno and workerd (Miniflare, no nodejs_compat) processes serving examples/app.
 *
 * To add cases: create `test/runtime/cases/<area>.ts` whose default export is a `CaseFile`
 * (`(target) => { it('...', async () => { const res = await target().fetch('/path'); ... }) }`).
 * Every file in cases/ is picked up automatically. Variables your battery needs go in env.ts.
 * Only one target (or a few): RUNTIME_TARGETS=node,bun npx vitest run test/runtime
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import type { CaseFile } from './case.ts';
import { targetEnv } from './env.ts';
import { skipTarget, startTarget, TARGETS, type Target, type TargetName } from './targets.ts';

const caseDir = new URL('./cases/', import.meta.url);
const caseFiles = readdirSync(caseDir)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const cases: [string, CaseFile][] = await Promise.all(
  caseFiles.map(async (f) => [f.replace(/\.ts$/, ''), (await import(new URL(f, caseDir).href)).default as CaseFile] as [string, CaseFile]),
);

const only = process.env.RUNTIME_TARGETS?.split(',').map((s) => s.trim());
const selected = TARGETS.filter((t) => !only || only.includes(t));
// a target that cannot run here (workerd without TEST_DATABASE_URL) says why once; its cases show as skipped
const targets = selected.filter((t) => !skipTarget(t));

// Start every runtime at once: the slowest start, not the sum, is what the suite waits for.
const started = new Map<TargetName, Promise<Target>>();
const t0 = performance.now();
beforeAll(() => {
  for (const name of targets) {
    const p = startTarget(name, { ...targetEnv }).then((target) => {
      // names every target in the test output, passing or not
      console.info(`runtime: ${name} ready at ${target.baseUrl} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return target;
    });
    p.catch(() => {}); // reported by the describe that needs it
    started.set(name, p);
  }
});
afterAll(async () => {
  await Promise.allSettled([...started.values()].map(async (p) => (await p).stop()));
});

describe.each(selected)('runtime: %s', (name) => {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await started.get(name);
  });
  const ref = () => {
    if (!target) throw new Error(`${name} did not start`);
    return target;
  };
  for (const [area, register] of cases) describe.skipIf(!targets.includes(name))(area, () => register(ref));
});
