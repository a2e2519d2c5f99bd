// Doc tests for the Markdown files: every TypeScript and JavaScript block is type-checked against the
// package as a user's project imports it, a fence of an unknown language is an error (not silently
// skipped), and every relative link must point at a file (and heading) that exists.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Block {
  /** the Markdown file, relative to the repository */
  doc: string;
  /** 1-based line of the block's first code line in `doc` */
  line: number;
  code: string;
  /** the file extension the block is compiled as: `.ts`, `.tsx`, `.mts`, `.js` or `.mjs` */
  ext: string;
  /** fenced ```ts partial: a deliberate fragment, not checked */
  partial: boolean;
  /** first line `// standard decorators`: compiled without experimentalDecorators */
  standard: boolean;
  /** first line `// file: src/app.ts` (or `.js`, ...): where the block lives, so other blocks of the same doc can import it */
  fileName?: string;
}

export interface Failure {
  where: string;
  message: string;
}

export const STANDARD_MARKER = '// standard decorators';
const FILE_MARKER = /^\/\/ file: (\S+\.(?:[cm]?[jt]s|tsx))(\s.*)?$/;
// a backtick fence's info string holds no backtick (CommonMark): ```` ```ts ```` in prose is inline code
const FENCE = /^(\s*)(?:(`{3,})\s*([^`\s]*)\s*([^`]*)|(~{3,})\s*(\S*)\s*(.*))$/;

/** The fence languages compiled, case-insensitively, and the file extension each is compiled as. */
export const CODE_LANGUAGES: Readonly<Record<string, string>> = {
  ts: '.ts',
  typescript: '.ts',
  tsx: '.tsx',
  mts: '.mts',
  js: '.js',
  javascript: '.js',
  mjs: '.mjs',
};
/** Fence languages that are not code to compile (shell sessions, data, other languages); the empty one is plain text. */
export const OTHER_LANGUAGES: ReadonlySet<string> = new Set([
  '',
  'sh',
  'bash',
  'shell',
  'console',
  'json',
  'yaml',
  'toml',
  'text',
  'http',
  'dotenv',
  'diff',
  'sql',
  'python',
]);

interface Fence {
  line: number;
  lang: string;
  info: string;
  body: string[];
}

function openFence(line: string): { indent: string; fence: string; lang: string; info: string } | undefined {
  const m = FENCE.exec(line);
  if (!m) return undefined;
  return m[2] === undefined ? { indent: m[1], fence: m[5], lang: m[6], info: m[7] } : { indent: m[1], fence: m[2], lang: m[3], info: m[4] };
}

/** Every fenced block of a Markdown text: its opening line (1-based), language, rest of the info string and body. */
function fences(text: string): Fence[] {
  const lines = text.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = openFence(lines[i]);
    if (!open) continue;
    const { indent, fence, lang, info } = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = openFence(lines[j]);
      if (close && close.fence[0] === fence[0] && close.fence.length >= fence.length && close.lang === '' && close.info.trim() === '')
        break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    out.push({ line: i + 1, lang, info: info.trim(), body });
    i = j;
  }
  return out;
}

/** The fenced blocks of a Markdown text whose language is one of CODE_LANGUAGES. */
export function extractBlocks(doc: string, text: string): Block[] {
  const blocks: Block[] = [];
  for (const { line, lang, info, body } of fences(text)) {
    const ext = CODE_LANGUAGES[lang.toLowerCase()];
    if (ext === undefined) continue;
    // the markers may share the first two lines: `// standard decorators` and `// file: src/app.ts`
    const head = body.slice(0, 2).map((l) => l.trim());
    blocks.push({
      doc,
      line: line + 1,
      code: `${body.join('\n')}\n`,
      ext,
      partial: info.split(/\s+/).includes('partial'),
      standard: head.includes(STANDARD_MARKER),
      fileName: head.map((l) => FILE_MARKER.exec(l)?.[1]).find(Boolean),
    });
  }
  return blocks;
}

/** Fences whose language is neither compiled nor a known other language: a typo would otherwise skip the check. */
export function unknownFences(doc: string, text: string): Failure[] {
  return fences(text)
    .filter(({ lang }) => CODE_LANGUAGES[lang.toLowerCase()] === undefined && !OTHER_LANGUAGES.has(lang.toLowerCase()))
    .map(({ line, lang }) => ({
      where: `${doc}:${line}`,
      message: `unknown fence language "${lang}": use one of ${Object.keys(CODE_LANGUAGES).join(', ')} or add it to OTHER_LANGUAGES`,
    }));
}

/** Bare specifiers of the package's exports mapped to their source entry points (`./dist/x.d.ts` -> `src/x.ts`). */
function packagePaths(root: string): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'object' && target !== null ? (target as { types?: string }).types : undefined;
    if (!types) continue;
    const source = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
    paths[subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`] = [join(root, source)];
  }
  return paths;
}

function slug(doc: string): string {
  return doc.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
}

/**
 * Type-checks every block that is not partial, one program per decorator mode. Each block is its
 * own module in a folder per document (so `// file:` blocks can import each other); CONTRIBUTING.md
 * blocks also see the repository through rootDirs, since they are written for the repository itself.
 */
export function compileBlocks(root: string, blocks: Block[]): Failure[] {
  const dir = mkdtempSync(join(tmpdir(), 'fb-doc-snippets-'));
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const files = new Map<string, Block>();
    const failures: Failure[] = [];
    for (const block of blocks) {
      if (block.partial) continue;
      const path = join(dir, slug(block.doc), block.fileName ?? `block-L${block.line}${block.ext}`);
      if (files.has(path)) {
        failures.push({ where: `${block.doc}:${block.line}`, message: `a second block names ${block.fileName}` });
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, block.code);
      files.set(path, block);
    }
    // Deno's own types are not on npm: the two globals the docs use, as Deno declares them
    const globals = join(dir, 'deno-globals.d.ts');
    writeFileSync(
      globals,
      `declare namespace Deno {
  function serve(options: { port?: number; hostname?: string }, handler: (request: Request, info: unknown) => Response | Promise<Response>): unknown;
  const env: { get(name: string): string | undefined };
}
`,
    );
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const base = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
    const options: ts.CompilerOptions = {
      ...base,
      noEmit: true,
      moduleDetection: ts.ModuleDetectionKind.Force,
      paths: packagePaths(root),
      // JavaScript blocks are type-checked too, as a JavaScript project with checkJs sees them
      allowJs: true,
      checkJs: true,
      jsx: ts.JsxEmit.Preserve,
      rootDirs: [join(dir, slug('CONTRIBUTING.md')), root],
      typeRoots: [join(root, 'node_modules', '@types')],
    };
    for (const standard of [false, true]) {
      const names = [...files].filter(([, block]) => block.standard === standard).map(([path]) => path);
      if (names.length === 0) continue;
      const program = ts.createProgram([globals, ...names], { ...options, experimentalDecorators: !standard });
      for (const diagnostic of program.getOptionsDiagnostics()) failures.push({ where: 'compiler options', message: flatten(diagnostic) });
      for (const name of names) {
        const source = program.getSourceFile(name);
        if (!source) continue;
        const block = files.get(name) as Block;
        for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
          const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
          failures.push({ where: `${block.doc}:${block.line + line}`, message: `TS${diagnostic.code}: ${flatten(diagnostic)}` });
        }
      }
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let fence = '';
  for (const line of text.split('\n')) {
    const open = openFence(line);
    if (open) {
      if (!fence) fence = open.fence;
      else if (open.fence[0] === fence[0] && open.fence.length >= fence.length && !open.lang) fence = '';
      continue;
    }
    const heading = fence ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Relative links `[text](path#anchor)` outside code whose file or heading does not exist. */
export function brokenLinks(root: string, docs: string[]): Failure[] {
  const failures: Failure[] = [];
  for (const doc of docs) {
    const text = readFileSync(join(root, doc), 'utf8');
    const prose = text.replace(/^(\s*)(`{3,}|~{3,})[^`\n]*\n[\s\S]*?^\s*\2\s*$/gm, (block) => block.replace(/[^\n]/g, ' '));
    const lines = prose.split('\n');
    lines.forEach((line, index) => {
      for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path ? resolve(dirname(join(root, doc)), path) : join(root, doc);
        const where = `${doc}:${index + 1}`;
        let content: string;
        try {
          content = ts.sys.directoryExists(file) ? '' : readFileSync(file, 'utf8');
        } catch {
          failures.push({ where, message: `${target}: no such file ${relative(root, file)}` });
          continue;
        }
        if (anchor && !anchors(content).has(anchor)) failures.push({ where, message: `${target}: no heading #${anchor}` });
      }
    });
  }
  return failures;
}
