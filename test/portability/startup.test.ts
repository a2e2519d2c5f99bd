import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Module-level statements that build an Error (`const X = new FooError(...)`): on Deno the first
 * Error a process builds costs about 3.5 ms (its first stack trace), so one built while
 * `fetch-batteries` loads is paid by every cold start, whether or not it is ever thrown.
 */
function moduleLevelErrors(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, i) => {
      if (/^(export )?(const|let|var) \w+(: [^=]+)? = new \w*Error\(/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('start-up cost of the modules in src/', () => {
  it('builds no Error while a module loads', () => {
    const files = new Map<string, string>();
    for (const entry of readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = `${entry.parentPath}/${entry.name}`;
      files.set(path.slice(root.length), readFileSync(path, 'utf8'));
    }
    expect(files.size).toBeGreaterThan(90);
    expect(moduleLevelErrors(files)).toEqual([]);
  });

  it('finds one (the check can fail)', () => {
    const fixture = new Map([
      ['src/x.ts', "import { A } from './a.ts';\nconst SENTINEL = new Error('x');\nexport const B: Error = new TypeError('y');\n"],
    ]);
    expect(moduleLevelErrors(fixture)).toEqual([
      "src/x.ts:2: const SENTINEL = new Error('x');",
      "src/x.ts:3: export const B: Error = new TypeError('y');",
    ]);
  });
});
