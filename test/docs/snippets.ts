// Doc tests for the Markdown files: every ```ts block is type-checked against the package as a
// user's project imports it, and every relative link must point at a file (and heading) that exists.
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
  /** fenced ```ts partial: a deliberate fragment, not checked */
  partial: boolean;
  /** first line `// standard decorators`: compiled without experimentalDecorators */
  standard: boolean;
  /** first line `// file: src/app.ts`: where the block lives, so other blocks of the same doc can import it */
  fileName?: string;
}

export interface Failure {
  where: string;
  message: string;
}

export const STANDARD_MARKER = '// standard decorators';
const FILE_MARKER = /^\/\/ file: (\S+\.ts)(\s.*)?$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/;

/** The fenced blocks of a Markdown text whose language is `ts` or `typescript`. */
export function extractBlocks(doc: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]);
      if (close && close[2][0] === fence[0] && close[2].length >= fence.length && close[3] === '' && close[4] === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    if (lang === 'ts' || lang === 'typescript') {
      // the markers may share the first two lines: `// standard decorators` and `// file: src/app.ts`
      const head = body.slice(0, 2).map((l) => l.trim());
      blocks.push({
        doc,
        line: i + 2,
        code: `${body.join('\n')}\n`,
        partial: info.split(/\s+/).includes('partial'),
        standard: head.includes(STANDARD_MARKER),
        fileName: head.map((l) => FILE_MARKER.exec(l)?.[1]).find(Boolean),
      });
    }
    i = j;
  }
  return blocks;
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
      const path = join(dir, slug(block.doc), block.fileName ?? `block-L${block.line}.ts`);
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
    const open = FENCE.exec(line);
    if (open) {
      if (!fence) fence = open[2];
      else if (open[2][0] === fence[0] && open[2].length >= fence.length && !open[3]) fence = '';
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
    const prose = text.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, (block) => block.replace(/[^\n]/g, ' '));
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
