import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectValidOpenApi } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fetch-batteries.mjs');
const FIXTURES = 'test/fixtures/decorators';
// as from a fresh clone: no deployment settings in the environment
const SETTINGS = /^(ENVIRONMENT|DATABASE_URL|ACCEPTED_API_KEY|HS_KEY|HS_ISSUER|PROXY_URL|AUTH_PROVIDER_\w+)$/;
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('fetch-batteries openapi with either decorator mode', () => {
  it('writes the same document for route-level specs under standard decorators and parameter decorators under legacy ones', async () => {
    // each folder's tsconfig.json decides the mode, as in a user's project
    const [standard, legacy] = await Promise.all([
      cli('openapi', `${FIXTURES}/standard/app.ts`),
      cli('openapi', `${FIXTURES}/legacy/app.ts`),
    ]);
    expect(standard.code, standard.stderr).toBe(0);
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(standard.stdout).toBe(legacy.stdout);
    const doc = JSON.parse(standard.stdout) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    await expectValidOpenApi(doc);
    expect(doc.paths['/items/{item_id}'].get.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['path:item_id']);
    expect(doc.paths['/items'].get.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:page', 'header:accept-language']);
  });

  it('says which setting or form to use when a standard-decorator project has parameter decorators', async () => {
    const { code, stderr } = await cli('openapi', `${FIXTURES}/standard/params.ts`);
    expect(code).toBe(1);
    expect(stderr).toContain('Parameter decorators only work when experimental decorators are enabled');
    expect(stderr).toContain('"experimentalDecorators": true');
    expect(stderr).toContain("@Get('/:id', Param('id'))");
  });
});
