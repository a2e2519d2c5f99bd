import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fetch-batteries.mjs');
// as from a fresh clone: no deployment settings in the environment
const SETTINGS = /^(ENVIRONMENT|DATABASE_URL|ACCEPTED_API_KEY|HS_KEY|HS_ISSUER|PROXY_URL|AUTH_PROVIDER_\w+)$/;
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));

function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('fetch-batteries openapi with only a custom login domain configured', () => {
  it('fills HS_ISSUER (the audience of login-domain tokens) and writes the document', async () => {
    const env = { ...childEnv, AUTH_PROVIDER_CUSTOM_DOMAIN: 'https://login.example.com/' };
    const { code, stdout, stderr } = await cli(env, 'openapi', 'test/fixtures/openapi-secured.ts');
    expect(stderr).toMatch(/placeholder values for unset ACCEPTED_API_KEY, HS_ISSUER, AUTH_PROVIDER_HS_KEY/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).paths['/secured/scoped'].get.security).toEqual([{ bearerAuth: ['read:things'] }]);
  }, 60_000);
});
