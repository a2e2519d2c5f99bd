import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { tokenCommand } from '../../src/cli/token.ts';
import { Controller, Get, Scopes } from '../../src/index.ts';
import { bearer, HS_KEY, PROXY_URL, req, secureApp } from './helpers.ts';

@Controller('/cli')
class CliController {
  @Get('/')
  @Scopes('read:patient')
  get() {
    return { ok: true };
  }
}

const env = { ENVIRONMENT: 'DEVELOPMENT', HS_KEY, PROXY_URL };

describe('fetch-batteries token', () => {
  it('mints a token the app accepts', async () => {
    const { code, out } = await tokenCommand(['--scope', 'read:patient', '--sub', 'dev-1', '--ttl=120'], env);
    expect(code).toBe(0);
    const token = out.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'http://localhost/', sub: 'dev-1', scope: 'read:patient' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    const { app } = secureApp([CliController]);
    expect((await app.fetch(req('/cli/', bearer(token)))).status).toBe(200);
  });

  it.each([
    ['unset', undefined],
    ['PRODUCTION', 'PRODUCTION'],
    ['production', 'production'],
  ])('is refused when ENVIRONMENT is %s', async (_name, environment) => {
    const { code, out } = await tokenCommand(['--scope', 'x'], { ...env, ENVIRONMENT: environment });
    expect(code).not.toBe(0);
    expect(out).toMatch(/refused: ENVIRONMENT is PRODUCTION or unset/);
    expect(out).not.toMatch(/eyJ/);
  });

  it('signs with HS_KEY as the app reads it (trimmed), so an env file with a trailing newline still works', async () => {
    const padded = { ...env, HS_KEY: `${HS_KEY}\n` };
    const { code, out } = await tokenCommand(['--scope', 'read:patient'], padded);
    expect(code).toBe(0);
    const { app } = secureApp([CliController], { HS_KEY: `${HS_KEY}\n` });
    expect((await app.fetch(req('/cli/', bearer(out.trim())))).status).toBe(200);
  });

  it('refuses an ENVIRONMENT the app would refuse too', async () => {
    const { code, out } = await tokenCommand(['--scope', 'x'], { ...env, ENVIRONMENT: 'LIVE' });
    expect(code).toBe(1);
    expect(out).toMatch(/ENVIRONMENT must be exactly one of PRODUCTION, /);
    expect(out).not.toMatch(/eyJ/);
  });

  it('explains a missing HS_KEY or issuer', async () => {
    expect((await tokenCommand([], { ENVIRONMENT: 'DEVELOPMENT' })).out).toMatch(/HS_KEY/);
    expect((await tokenCommand([], { ENVIRONMENT: 'DEVELOPMENT', HS_KEY })).out).toMatch(/HS_ISSUER or PROXY_URL/);
  });

  it('rejects unknown options and bad values with exit code 2', async () => {
    expect((await tokenCommand(['--admin'], env)).code).toBe(2);
    expect((await tokenCommand(['--ttl', 'soon'], env)).code).toBe(2);
    expect((await tokenCommand(['--metadata', '[1]'], env)).code).toBe(2);
  });

  it('prints usage for --help', async () => {
    const { code, out } = await tokenCommand(['--help'], env);
    expect(code).toBe(0);
    expect(out).toContain('Usage: fetch-batteries token');
  });
});
