import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Message } from 'esbuild';
import { WORKERS_BUILD } from '../support/workers-build.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const builtins = new Set(builtinModules);

export interface BundleReport {
  /** Imports of Node built-ins left in the output (`node:fs`, `fs`, ...). */
  nodeImports: string[];
  /** Build errors (a built-in esbuild could not resolve for the neutral platform, ...). */
  errors: string[];
  bytes: number;
}

const isBuiltin = (path: string) => path.startsWith('node:') || builtins.has(path) || builtins.has(path.split('/')[0]);

/**
 * Bundles `entry` the way Workers tooling does: `platform: 'neutral'`, conditions workerd/worker/browser.
 * Built-ins are marked external so they show up as imports instead of aborting at the first one.
 */
export async function bundleNeutral(entry: string): Promise<BundleReport> {
  try {
    const result = await build({
      entryPoints: [entry],
      ...WORKERS_BUILD,
      metafile: true,
      tsconfig: `${root}tsconfig.json`,
      external: ['node:*', ...builtinModules],
      logLevel: 'silent',
    });
    const outputs = Object.values(result.metafile.outputs);
    const nodeImports = outputs.flatMap((o) => o.imports.filter((i) => i.external && isBuiltin(i.path)).map((i) => i.path));
    return { nodeImports: [...new Set(nodeImports)], errors: [], bytes: outputs.reduce((n, o) => n + o.bytes, 0) };
  } catch (error) {
    const errors = ((error as { errors?: Message[] }).errors ?? []).map((m) => `${m.location?.file ?? '?'}: ${m.text}`);
    return { nodeImports: [], errors: errors.length > 0 ? errors : [String(error)], bytes: 0 };
  }
}
