import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../../src/index.ts';
import { securedOptions } from '../fixtures/openapi-secured-routes.ts';
import { expectValidOpenApi } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fetch-batteries.mjs');
const dir = mkdtempSync(join(tmpdir(), 'fb-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// as from a fresh clone: no deployment settings in the environment
const SETTINGS = /^(ENVIRONMENT|DATABASE_URL|ACCEPTED_API_KEY|HS_KEY|HS_ISSUER|PROXY_URL|AUTH_PROVIDER_\w+)$/;
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));

/** Runs the real command the way `npx fetch-batteries` does, from the repository root. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliIn(ROOT, ...args);
}

function cliIn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(cwd, childEnv, args);
}

function cliWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(ROOT, env, args);
}

function run(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('fetch-batteries openapi', () => {
  it('writes the demo document as YAML with -o file.yaml', async () => {
    const out = join(dir, 'openapi.yaml');
    const { code, stderr } = await cli('openapi', 'examples/app/app.ts', '-o', out);
    expect(stderr).toContain('wrote');
    expect(stderr).toContain('building the app with ENVIRONMENT=DEVELOPMENT');
    expect(code).toBe(0);
    const doc = parse(readFileSync(out, 'utf8'));
    await expectValidOpenApi(doc);
    expect(doc.info.title).toBe('Patients');
    expect(doc.paths['/patients/{patient_id}'].get.operationId).toBe('PatientController_get');
  }, 60_000);

  it('prints JSON to stdout without -o, byte-identical to a .json file', async () => {
    const out = join(dir, 'nested/dir/openapi.json');
    const [printed, written] = await Promise.all([cli('openapi', 'examples/app/app.ts'), cli('openapi', 'examples/app/app.ts', '-o', out)]);
    expect(printed.code).toBe(0);
    expect(written.code).toBe(0);
    expect(JSON.parse(printed.stdout).openapi).toBe('3.1.0');
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
  }, 60_000);

  it('compiles the module with its own tsconfig.json when run from another folder', async () => {
    const { code, stdout, stderr } = await cliIn(dir, 'openapi', join(ROOT, 'examples/app/app.ts'), '--format', 'yaml');
    expect(stderr).not.toContain('decorators');
    expect(code).toBe(0);
    expect(parse(stdout).paths['/patients/{patient_id}']).toBeDefined();
  }, 60_000);

  it('exits 3 naming the path when the module does not exist', async () => {
    const { code, stderr, stdout } = await cli('openapi', 'examples/app/nope.ts', '-o', join(dir, 'never.yaml'));
    expect(code).toBe(3);
    expect(stderr).toContain('module not found: examples/app/nope.ts');
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
  }, 60_000);

  it('exits 4 when the module exports no app, and 1 when it throws while loading', async () => {
    const [noApp, throws] = await Promise.all([
      cli('openapi', 'test/fixtures/openapi-no-app.ts'),
      cli('openapi', 'test/fixtures/openapi-throws.ts'),
    ]);
    expect(noApp.code).toBe(4);
    expect(noApp.stderr).toContain('test/fixtures/openapi-no-app.ts exports no app');
    expect(throws.code).toBe(1);
    expect(throws.stderr).toContain('boom while loading the app module');
  }, 60_000);

  it('exits 2 with usage on a missing module, an unknown extension or an unknown command', async () => {
    const [missing, ext, unknown, help] = await Promise.all([
      cli('openapi'),
      cli('openapi', 'examples/app/app.ts', '-o', join(dir, 'x.txt')),
      cli('frobnicate'),
      cli('--help'),
    ]);
    expect([missing.code, ext.code, unknown.code]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain('missing <module>');
    expect(ext.stderr).toContain('use .json, .yaml or .yml');
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('openapi <module>');
  }, 60_000);
});

describe('fetch-batteries openapi without production secrets', () => {
  it('writes the document of an app with @ApiKey and @Scopes routes when no security variable is set', async () => {
    const { code, stdout, stderr } = await cli('openapi', 'test/fixtures/openapi-secured.ts');
    expect(stderr).not.toContain('is required');
    expect(code).toBe(0);
    expect(stderr).toMatch(/placeholder values for unset ACCEPTED_API_KEY, HS_KEY, HS_ISSUER/);
    const doc = JSON.parse(stdout);
    await expectValidOpenApi(doc);
    expect(doc.paths['/secured/key'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/secured/scoped'].get.security).toEqual([{ bearerAuth: ['read:things'] }]);
  }, 60_000);

  it('writes exactly the document the app serves when deployed with its real configuration', async () => {
    const { code, stdout } = await cli('openapi', 'test/fixtures/openapi-secured.ts');
    expect(code).toBe(0);
    const deployed = createApp({
      ...securedOptions,
      env: {
        ENVIRONMENT: 'PRODUCTION',
        ACCEPTED_API_KEY: 'the-real-key',
        AUTH_PROVIDER_DOMAIN: 'login.example.com',
        AUTH_PROVIDER_AUDIENCE: 'https://api.example.com',
        AUTH_PROVIDER_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
        LOG_LEVEL: 'error',
      },
    });
    const served = await (await deployed.fetch(new Request('http://api.example.com/openapi.json'))).text();
    expect(`${JSON.stringify(JSON.parse(served), null, 2)}\n`).toBe(stdout);
    await deployed.close();
  }, 60_000);

  it('fills in nothing when ENVIRONMENT is PRODUCTION, and says why the configuration is missing', async () => {
    const { code, stdout, stderr } = await cliWithEnv(
      { ...childEnv, ENVIRONMENT: 'PRODUCTION' },
      'openapi',
      'test/fixtures/openapi-secured.ts',
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('ACCEPTED_API_KEY: is required');
    expect(stderr).toContain('with ENVIRONMENT=PRODUCTION the CLI fills in no placeholder values');
  }, 60_000);

  it('gives the whole demo from examples/app/index.ts too, the same bytes as examples/app/app.ts', async () => {
    const [index, app] = await Promise.all([cli('openapi', 'examples/app/index.ts'), cli('openapi', 'examples/app/app.ts')]);
    expect(index.code).toBe(0);
    const doc = JSON.parse(index.stdout);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/secure/key', '/secure/scoped', '/secure/me', '/secure/patients/{patient_id}']),
    );
    expect(index.stdout).toBe(app.stdout);
  }, 60_000);

  it('keeps stdout pure JSON when the module prints while it loads', async () => {
    const { code, stdout, stderr } = await cli('openapi', 'test/fixtures/openapi-prints.ts');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).info.title).toBe('Prints');
    for (const printed of ['hello from the module', "also: 'this'", 'and a raw write', 'created the app'])
      expect(stderr).toContain(printed);
  }, 60_000);
});

describe('fetch-batteries token', () => {
  it("hands its arguments and the environment to the security battery's token command", async () => {
    const env = { ...childEnv, ENVIRONMENT: 'DEVELOPMENT', HS_KEY: 'cli-test-key', PROXY_URL: 'http://localhost:8080' };
    const { code, stdout, stderr } = await cliWithEnv(env, 'token', '--scope', 'read:patient');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [, payload] = stdout.trim().split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.iss).toBe('http://localhost:8080/');
    expect(JSON.stringify(claims)).toContain('read:patient');
  }, 60_000);

  it("passes the token command's refusal and exit code through", async () => {
    const { code, stdout, stderr } = await cli('token', '--scope', 'read:patient');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('refused');
  }, 60_000);
});
