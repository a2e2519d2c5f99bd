import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/** What the CLI needs from an app: the document. `createApp` results have it. */
export interface DocumentSource {
  openapi(): Record<string, unknown>;
  close?(): Promise<void>;
}

/** A CLI failure with the exit code the command should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, noApp: 4 } as const;

function isApp(value: unknown): value is DocumentSource {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as DocumentSource).openapi === 'function'
  );
}

/**
 * The app a module exports: `default`, then `app`, then any export with `openapi()`, then a
 * zero-argument `create...App()` factory (the demo's `createDemoApp`). `name` picks one export.
 */
export function findApp(exports: Record<string, unknown>, name?: string): DocumentSource | undefined {
  if (name !== undefined) {
    const value = exports[name];
    if (isApp(value)) return value;
    if (typeof value === 'function' && !isApp(value)) {
      const made = (value as () => unknown)();
      return isApp(made) ? made : undefined;
    }
    return undefined;
  }
  const keys = Object.keys(exports).sort();
  for (const key of ['default', 'app', ...keys]) if (isApp(exports[key])) return exports[key] as DocumentSource;
  for (const key of keys) {
    const value = exports[key];
    if (typeof value === 'function' && /^create\w*App$/.test(key) && value.length === 0) {
      const made = (value as () => unknown)();
      if (isApp(made)) return made;
    }
  }
  return undefined;
}

/** Imports a module by path (TypeScript works: the CLI runs under tsx) and finds its app. */
export async function loadApp(path: string, cwd: string, exportName?: string): Promise<DocumentSource> {
  const file = resolve(cwd, path);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`module not found: ${path} (resolved to ${file})`, EXIT.notFound);
  let exports: Record<string, unknown>;
  try {
    const tsconfig = nearestTsconfig(dirname(file));
    exports = (await tsImport(pathToFileURL(file).href, {
      parentURL: import.meta.url,
      ...(tsconfig ? { tsconfig } : {}),
    })) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`could not load ${path}: ${describe(error)}`, EXIT.failed);
  }
  let app: DocumentSource | undefined;
  try {
    app = findApp(exports, exportName);
  } catch (error) {
    throw new CliError(`could not create the app from ${path}: ${describe(error)}`, EXIT.failed);
  }
  if (!app) {
    const wanted = exportName
      ? `the export "${exportName}" is not an app`
      : 'expected a default export or an `app` export made by createApp(), or a zero-argument create...App() factory';
    throw new CliError(`${path} exports no app: ${wanted}`, EXIT.noApp);
  }
  return app;
}

/** The module's own tsconfig.json (its decorator settings), found upwards from its folder. */
function nearestTsconfig(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // esbuild compiles TC39 decorators unless the tsconfig says otherwise, and they have no parameter decorators
  if (/decorator/i.test(error.message)) {
    return (
      `${error.message}\n(parameter decorators need "experimentalDecorators": true in tsconfig.json; without it, ` +
      `list the parameters in the route decorator: @Get('/:id', Param('id')))`
    );
  }
  return error.message;
}
