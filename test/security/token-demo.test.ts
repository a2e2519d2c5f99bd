import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopChild } from '../runtime/targets.ts';

// What a developer does after `npm start`: mint a token with `npm run token` and call the demo
// with it. Both are real processes started exactly as package.json's scripts start them.
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fetch-batteries.mjs');
// a fresh shell: no deployment settings, so both sides use the demo's development settings
const SETTINGS = /^(ENVIRONMENT|DATABASE_URL|ACCEPTED_API_KEY|HS_KEY|HS_ISSUER|PROXY_URL|AUTH_PROVIDER_\w+|PORT|HOST)$/;
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = shellEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const npm = (...args: string[]) => run('npm', args);

describe('npm run token against the running demo (npm start)', () => {
  let server: ChildProcess;
  let baseUrl: string;
  let output = '';

  beforeAll(async () => {
    const port = await freePort();
    // `npm start` runs `tsx examples/node/server.ts`; PORT only moves it off 8080 for the test
    server = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['examples/node/server.ts'], {
      cwd: ROOT,
      env: { ...shellEnv, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => (output += d));
    server.stderr?.on('data', (d) => (output += d));
    baseUrl = `http://127.0.0.1:${port}`;
    const until = Date.now() + 60_000;
    while (!output.includes('listening on')) {
      if (server.exitCode !== null || Date.now() > until) throw new Error(`the demo did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  afterAll(async () => {
    if (server) await stopChild(server);
  });

  it('prints one token on stdout that the demo accepts for a read:patient route', async () => {
    const { code, stdout, stderr } = await npm('run', '-s', 'token', '--', '--scope', 'read:patient');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const auth = { authorization: `Bearer ${token}` };
    const scoped = await fetch(`${baseUrl}/secure/scoped`, { headers: auth });
    expect(scoped.status).toBe(200);
    expect(await scoped.json()).toEqual({ ok: true });
    const me = await fetch(`${baseUrl}/secure/me`, { headers: auth });
    expect(await me.json()).toEqual({ user_id: 'dev-user', scopes: ['read:patient'] });
    // and the demo is really checking: no token, or a token without the scope, is refused
    expect((await fetch(`${baseUrl}/secure/scoped`)).status).toBe(401);
    const other = (await npm('run', '-s', 'token', '--', '--scope', 'write:patient')).stdout.trim();
    expect((await fetch(`${baseUrl}/secure/scoped`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);
  }, 60_000);

  it('the demo says where it listens on start (port 8080 unless PORT is set)', () => {
    expect(output).toMatch(new RegExp(`fetch-batteries demo \\(node, \\w+ decorators\\) listening on ${baseUrl}\n`));
  });
});

describe('fetch-batteries token --help', () => {
  it.each([
    ['unset', undefined],
    ['PRODUCTION', 'PRODUCTION'],
  ])(
    'answers with ENVIRONMENT %s, with examples on the demo port 8080',
    async (_name, environment) => {
      const env = environment === undefined ? shellEnv : { ...shellEnv, ENVIRONMENT: environment };
      const { code, stdout, stderr } = await run(process.execPath, [BIN, 'token', '--help'], env);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: fetch-batteries token');
      expect(stdout).toContain('http://localhost:8080/secure/scoped');
      expect(stdout).not.toMatch(/localhost:3000/);
    },
    60_000,
  );

  it('minting is still refused in production, with no token printed', async () => {
    const { code, stdout, stderr } = await run(process.execPath, [BIN, 'token', '--scope', 'read:patient'], {
      ...shellEnv,
      ENVIRONMENT: 'PRODUCTION',
      HS_KEY: 'a-production-key',
      PROXY_URL: 'http://localhost:8080',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('refused: ENVIRONMENT is PRODUCTION or unset');
  }, 60_000);
});
