import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
const FIXTURE = 'test/runtime/fixtures/response-headers.ts';

function run(cmd: string, argv: string[]): unknown[] {
  const out = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

// Deno builds our responses with the headers set after the constructor (faster there): same result
describe('responses built on Deno and Bun', () => {
  it('carry the same status, headers and body as on Node', () => {
    const node = run(bin('tsx'), [FIXTURE]);
    expect(node).toHaveLength(4);
    expect(node[0]).toMatchObject({ status: 200, body: '{"a":1}' });
    expect(run(bin('deno'), ['run', '-A', '--config', 'deno.json', FIXTURE])).toEqual(node);
    expect(run(bin('bun'), [FIXTURE])).toEqual(node);
  }, 90_000);
});
