import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Controller,
  createApp,
  Get,
  Scopes,
  Secured,
  Token,
  type TokenData,
  User,
  type ValidatedUser,
} from '../../src/index.ts';
import { signRawHs } from '../../src/testing/index.ts';
import { bearer, captureLogger, expectJson, HS_ISSUER, req, secureApp } from './helpers.ts';

// Tokens from AUTH_PROVIDER_CUSTOM_DOMAIN are read as the Python package read them: audience
// HS_ISSUER, scopes in `scope`, claims in `metadata`, whatever the AUTH_PROVIDER_* claim names are.
const LOGIN = 'https://login.example.com/';
const LOGIN_KEY = 'login-secret-login-secret-login-secret';

@Controller('/login')
class LoginController {
  @Get('/token')
  @Secured()
  token(@Token() token: TokenData) {
    return { scopes: token.scopes, clinician_id: token.claims.clinician_id ?? null };
  }

  @Get('/me', User())
  @Scopes('read:x')
  me(user: ValidatedUser) {
    return { user_id: user.user_id };
  }
}

const env = {
  AUTH_PROVIDER_CUSTOM_DOMAIN: LOGIN,
  AUTH_PROVIDER_HS_KEY: LOGIN_KEY,
  VALID_USER_ID_KEYS: 'clinician_id',
  // the auth provider's settings: they must not apply to login-domain tokens
  AUTH_PROVIDER_AUDIENCE: 'https://api.example/',
  AUTH_PROVIDER_METADATA: 'https://api.example/metadata',
};
const { app } = secureApp([LoginController], env);
const login = (claims: Record<string, unknown>, iss = LOGIN) =>
  signRawHs('{"alg":"HS256","typ":"JWT"}', JSON.stringify({ iss, exp: Math.floor(Date.now() / 1000) + 60, ...claims }), LOGIN_KEY);
const get = async (path: string, token: string) => expectJson(await app.fetch(req(path, bearer(token))));

describe('custom login domain tokens (AUTH_PROVIDER_CUSTOM_DOMAIN)', () => {
  it('take their scopes from `scope` and their claims from `metadata`', async () => {
    const token = await login({ scope: 'read:x write:x', metadata: { clinician_id: 'c1' } });
    expect(await get('/login/token', token)).toEqual({ status: 200, body: { scopes: ['read:x', 'write:x'], clinician_id: 'c1' } });
  });

  it('give @User() its id from the metadata and pass @Scopes', async () => {
    const token = await login({ scope: 'read:x', metadata: { clinician_id: 'c1' } });
    expect(await get('/login/me', token)).toEqual({ status: 200, body: { user_id: 'c1' } });
  });

  it('ignore AUTH_PROVIDER_SCOPE_KEY (permissions): scopes there are not scopes', async () => {
    const token = await login({ permissions: 'read:x', metadata: { clinician_id: 'c1' } });
    expect((await get('/login/token', token)).body).toMatchObject({ scopes: [] });
    expect((await get('/login/me', token)).status).toBe(403);
  });

  it('are accepted with aud HS_ISSUER (alone or in a list) or without aud, refused with AUTH_PROVIDER_AUDIENCE', async () => {
    expect((await get('/login/token', await login({ aud: HS_ISSUER }))).status).toBe(200);
    expect((await get('/login/token', await login({ aud: ['other', HS_ISSUER] }))).status).toBe(200);
    expect((await get('/login/token', await login({}))).status).toBe(200);
    const wrong = await get('/login/token', await login({ aud: 'https://api.example/' }));
    expect(wrong).toEqual({ status: 403, body: { message: 'Could not validate credentials' } });
  });

  it('match the variable exactly when it is a URL: no slash added', async () => {
    const exact = secureApp([LoginController], { ...env, AUTH_PROVIDER_CUSTOM_DOMAIN: 'https://login.example.com' });
    const ok = await login({}, 'https://login.example.com');
    expect((await exact.app.fetch(req('/login/token', bearer(ok)))).status).toBe(200);
    const slash = await login({}, 'https://login.example.com/');
    expect((await exact.app.fetch(req('/login/token', bearer(slash)))).status).toBe(403);
  });

  it('need HS_ISSUER or PROXY_URL (their audience) to start', () => {
    const build = () =>
      createApp({
        env: { ENVIRONMENT: 'DEVELOPMENT', AUTH_PROVIDER_CUSTOM_DOMAIN: LOGIN, AUTH_PROVIDER_HS_KEY: LOGIN_KEY },
        controllers: [LoginController],
        docs: false,
        logger: captureLogger(),
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/HS_ISSUER: is required with AUTH_PROVIDER_CUSTOM_DOMAIN/);
  });
});
