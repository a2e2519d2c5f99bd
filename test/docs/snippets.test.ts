import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Block, brokenLinks, compileBlocks, extractBlocks, type Failure } from './snippets.ts';

const root = new URL('../../', import.meta.url).pathname;
const docs = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(`${root}docs`)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const fixture = 'test/docs/fixtures/sample.md';

const blocks: Block[] = [fixture, ...docs].flatMap((doc) => extractBlocks(doc, readFileSync(`${root}${doc}`, 'utf8')));
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
    expect(own).toHaveLength(1);
    expect(own[0].where).toBe(`${fixture}:22`);
    expect(own[0].message).toMatch(/^TS2561: .*'controllerz'/);
  });

  it('type-checks every ```ts block against fetch-batteries, fetch-batteries/node and fetch-batteries/testing', () => {
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
