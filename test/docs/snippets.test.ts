import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Block, brokenLinks, compileBlocks, extractBlocks, type Failure, unknownFences } from './snippets.ts';

const root = new URL('../../', import.meta.url).pathname;
const docs = [
  'README.md',
  'CONTRIBUTING.md',
  // every Markdown file under docs/, also in subfolders
  ...readdirSync(`${root}docs`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const fixture = 'test/docs/fixtures/sample.md';

const texts = new Map([fixture, ...docs].map((doc) => [doc, readFileSync(`${root}${doc}`, 'utf8')]));
const blocks: Block[] = [...texts].flatMap(([doc, text]) => extractBlocks(doc, text));
// one program for every document and the fixture: a single type check of the package
const failures = compileBlocks(root, blocks);
const report = (list: Failure[]) => list.map((f) => `${f.where}: ${f.message}`).join('\n');

describe('code blocks in the documentation', () => {
  it('finds the ts blocks of the README and of every docs/ file', () => {
    expect(blocks.filter((b) => b.doc === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(new Set(blocks.map((b) => b.doc)).size).toBeGreaterThanOrEqual(8);
  });

  it('reports a failing block with its file, line and TypeScript error, and skips ```ts partial', () => {
    const own = failures.filter((f) => f.where.startsWith(fixture));
    expect(own.map((f) => f.where)).toEqual([`${fixture}:22`, `${fixture}:51`]);
    expect(own[0].message).toMatch(/^TS2561: .*'controllerz'/);
  });

  it('compiles ```JS blocks too (any letter case), as checkJs sees them', () => {
    const own = failures.find((f) => f.where === `${fixture}:51`);
    expect(own?.message).toMatch(/^TS2339: .*'nowhere'/);
  });

  it('reports a fence of an unknown language with its file and line', () => {
    expect(report(unknownFences(fixture, texts.get(fixture) as string))).toBe(
      `${fixture}:56: unknown fence language "rust": use one of ts, typescript, tsx, mts, js, javascript, mjs or add it to OTHER_LANGUAGES`,
    );
  });

  it('knows the language of every fence in the README and docs/', () => {
    const unknown = docs.flatMap((doc) => unknownFences(doc, texts.get(doc) as string));
    expect(report(unknown), report(unknown)).toBe('');
  });

  it('type-checks every ts and js block against fetch-batteries, fetch-batteries/node and fetch-batteries/testing', () => {
    const own = failures.filter((f) => !f.where.startsWith(fixture));
    expect(report(own), report(own)).toBe('');
  });
});

describe('relative links in the documentation', () => {
  it('reports a missing file or heading', () => {
    expect(report(brokenLinks(root, [fixture]))).toBe(
      `${fixture}:25: #nowhere: no heading #nowhere\n${fixture}:25: missing.md: no such file test/docs/fixtures/missing.md`,
    );
  });

  it('point at files and headings that exist', () => {
    expect(report(brokenLinks(root, docs))).toBe('');
  });
});
