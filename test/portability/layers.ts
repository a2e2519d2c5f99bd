// The import rule of src/ (docs/architecture.md), checked by reading the import statements.

/** The folders (first path segment under src/) of each floor. */
const KERNEL = 'kernel';
/** Shared leaves every battery may use: the decorator metadata store and the router. */
const SHARED = ['metadata', 'routing'];
/** The batteries, and `decorators` (the user-facing API over metadata): kernel, shared leaves and their own folder. */
export const BATTERIES = ['errors', 'security', 'observability', 'db', 'openapi', 'decorators'];

import { builtinModules } from 'node:module';

/** Runtime-specific code: the only places for `node:`, `process`, `Buffer`, `Deno`, `Bun`. */
const RUNTIME_FILES = [/^src\/adapters\//, /^src\/cli\//, /^src\/db\/drivers\/pg\.ts$/];
/**
 * The runtime side of the kernel's platform port (`src/kernel/platform.ts`): the one adapter file
 * the app layer imports, to install it. It finds the runtime through globals (no `node:` import).
 */
export const PLATFORM_FILE = 'src/adapters/platform.ts';
const NODE_BUILTINS = new Set(builtinModules);

/**
 * The only imports from one battery into another, each for a reason:
 * - openapi documents the 401/403/503 answers of the security battery and the 400/409/503 answers
 *   of the database battery word for word: it reads their message constants (errors.ts only, which
 *   imports nothing but the kernel), so the document cannot drift from what they send.
 */
export const ALLOWED_BATTERY_EDGES: readonly [from: string, to: string][] = [
  ['openapi', 'src/security/errors.ts'],
  ['openapi', 'src/db/errors.ts'],
];

export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** Comments and string contents blanked out (lengths and newlines kept), so a scan sees only code. */
export function codeOnly(source: string, { keepStrings = false } = {}): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (m) => {
    const isString = m[0] === "'" || m[0] === '"' || m[0] === '`';
    if (keepStrings && isString) return m;
    const blank = m.replace(/[^\n]/g, ' ');
    // keep the quotes of a string (an import specifier is read from the original text)
    return isString ? `${m[0]}${blank.slice(1, -1)}${m[m.length - 1]}` : blank;
  });
}

/** Every `import ... from 'x'`, `export ... from 'x'`, `import 'x'`, `import('x')` and `require('x')` with its line. */
export function importsOf(source: string): { specifier: string; line: number }[] {
  const code = codeOnly(source);
  const out: { specifier: string; line: number }[] = [];
  const pattern = /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])|\bimport\s*(['"])|\b(?:import|require)\s*\(\s*(['"`])/g;
  for (const m of code.matchAll(pattern)) {
    const quoteAt = (m.index ?? 0) + m[0].length - 1;
    const end = source.indexOf(source[quoteAt], quoteAt + 1);
    out.push({ specifier: source.slice(quoteAt + 1, end), line: source.slice(0, quoteAt).split('\n').length });
  }
  return out;
}

function resolve(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of specifier.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** `kernel`, `app`, ..., or `index.ts` for the entry point. */
function folderOf(file: string): string {
  return file.split('/')[1] ?? '';
}

function importAllowed(file: string, target: string): string | undefined {
  const from = folderOf(file);
  const to = folderOf(target);
  if (from === to) return undefined;
  if (from === KERNEL) return 'the kernel imports nothing outside src/kernel/';
  if (SHARED.includes(from)) return to === KERNEL ? undefined : `${from}/ imports only the kernel`;
  if (BATTERIES.includes(from)) {
    if (to === KERNEL || SHARED.includes(to)) return undefined;
    if (ALLOWED_BATTERY_EDGES.some(([f, t]) => f === from && t === target)) return undefined;
    if (BATTERIES.includes(to)) return `a battery imports no other battery (${from}/ -> ${to}/) unless listed in ALLOWED_BATTERY_EDGES`;
    return `a battery imports only the kernel, ${SHARED.join('/, ')}/ and its own folder, not ${to}/`;
  }
  if (from === 'app' && target === PLATFORM_FILE) return undefined;
  if ((from === 'app' || file === 'src/index.ts') && ['adapters', 'cli', 'testing'].includes(to)) return `${from}/ never imports ${to}/`;
  if (from === 'adapters' && ['cli', 'testing'].includes(to)) return `adapters/ never imports ${to}/`;
  if (from === 'testing' && to === 'cli') return 'testing/ never imports cli/';
  return undefined;
}

// any use of the name, also as a property of globalThis (`g.Deno?.env`, `{ process?: ... }`)
const RUNTIME_GLOBAL = /(?<![\w$])(?:process|Buffer|Deno|Bun)(?![\w$])/g;
// the name as a string key (`globalThis['process']`, `Reflect.get(globalThis, 'Bun')`, `'Deno' in globalThis`)
const RUNTIME_GLOBAL_KEY = /(['"`])(process|Buffer|Deno|Bun)\1/g;
// `import(` or `require(` whose argument is not a plain string literal: the layer check cannot read it
const DYNAMIC_IMPORT = /(?<![\w$.])(?:import|require)\s*\((?!\s*(?:(['"])[^'"\n]*\1|`[^`$]*`)\s*[,)])/g;

/**
 * The only imports with a variable specifier, each for a reason:
 * - the database drivers keep bundlers (the neutral and the Workers build) from pulling node-postgres
 *   and PGlite (which needs fs and zlib) into a build that does not use them;
 * - the CLI starts without the security battery's token command when a build leaves it out.
 */
export const DYNAMIC_IMPORT_FILES: readonly string[] = ['src/db/drivers/pg.ts', 'src/db/drivers/pglite.ts', 'src/cli/main.ts'];

/**
 * The violations in a set of src/ files (path relative to the repository -> source text): imports
 * across floors, `node:` imports and runtime globals outside the runtime-specific files.
 */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    const runtimeFile = RUNTIME_FILES.some((r) => r.test(file));
    for (const { specifier, line } of importsOf(source)) {
      if (specifier.startsWith('node:') || specifier === 'pg' || NODE_BUILTINS.has(specifier.split('/')[0])) {
        if (!runtimeFile) violations.push({ file, line, message: `${specifier} outside adapters/, cli/ and the Node-only files` });
        continue;
      }
      if (specifier === 'fetch-batteries' || specifier.startsWith('fetch-batteries/')) {
        violations.push({ file, line, message: `${specifier}: src/ imports its own modules by relative path, not through the package` });
        continue;
      }
      if (!specifier.startsWith('.')) continue;
      const message = importAllowed(file, resolve(file, specifier));
      if (message !== undefined) violations.push({ file, line, message: `${specifier}: ${message}` });
    }
    if (!runtimeFile) {
      const code = codeOnly(source);
      for (const m of code.matchAll(RUNTIME_GLOBAL)) {
        violations.push({
          file,
          line: code.slice(0, m.index).split('\n').length,
          message: `${m[0]} is a runtime global: only in adapters/, cli/ and the pg driver`,
        });
      }
      // string contents are blanked in `code`: read the keys from the source at the same offsets
      for (const m of source.matchAll(RUNTIME_GLOBAL_KEY)) {
        // inside a comment or a longer string, the quotes are blanked too
        if (code[m.index] !== m[1] || code[m.index + m[0].length - 1] !== m[1]) continue;
        violations.push({
          file,
          line: code.slice(0, m.index).split('\n').length,
          message: `${m[0]} names a runtime global: only in adapters/, cli/ and the pg driver`,
        });
      }
    }
    if (!DYNAMIC_IMPORT_FILES.includes(file)) {
      const code = codeOnly(source, { keepStrings: true });
      for (const m of code.matchAll(DYNAMIC_IMPORT)) {
        violations.push({
          file,
          line: code.slice(0, m.index).split('\n').length,
          message: 'an import with a variable specifier hides what it imports: only in DYNAMIC_IMPORT_FILES',
        });
      }
    }
  }
  return violations;
}

/** The files `entry` reaches through relative imports (to check that an entry point stays free of `node:`). */
export function reachable(files: ReadonlyMap<string, string>, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !files.has(file)) return;
    seen.add(file);
    for (const { specifier } of importsOf(files.get(file) ?? '')) if (specifier.startsWith('.')) visit(resolve(file, specifier));
  };
  visit(entry);
  return seen;
}
