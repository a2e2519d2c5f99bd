import { describe, expect, it } from 'vitest';
import { bundleNeutral, root } from './neutral-bundle.ts';

describe('portable core (esbuild, platform neutral, conditions workerd/worker/browser)', () => {
  it('bundles src/index.ts with no node: import and no Node built-in', async () => {
    const report = await bundleNeutral(`${root}src/index.ts`);
    expect(report.errors).toEqual([]);
    expect(report.nodeImports).toEqual([]);
    expect(report.bytes).toBeGreaterThan(0);
  });

  it('bundles the Workers example the same way', async () => {
    const report = await bundleNeutral(`${root}examples/workers/worker.ts`);
    expect(report.errors).toEqual([]);
    expect(report.nodeImports).toEqual([]);
  });

  it('reports a module that imports node:fs (the check can fail)', async () => {
    const report = await bundleNeutral(`${root}test/portability/fixtures/uses-node.ts`);
    expect(report.nodeImports).toEqual(['node:fs']);
  });
});
