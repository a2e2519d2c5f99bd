import { describe, expect, it } from 'vitest';
import {
  ApiKey,
  ConfigError,
  Controller,
  createApp,
  Get,
  match_keys,
  Param,
  Scopes,
  Secured,
  silentLogger,
  User,
  type ValidatedUser,
} from '../../src/index.ts';
import { apiKeyHeaders, bearer, mintInternalToken, mintToken, testingCredentials, testRequest } from '../../src/testing/index.ts';

// A secured controller as a user writes it, tested the way "Testing a controller" shows: plain
// requests, no secret written in the test.
@Controller('/reports')
class ReportController {
  @Get('/export')
  @ApiKey()
  exportAll() {
    return { exported: true };
  }

  @Get('/')
  @Scopes('read:report')
  list(@User() user: ValidatedUser) {
    return { reader: user.user_id };
  }

  @Get('/patients/:patient_id')
  @Secured(match_keys({ patient_id: 'patient_id' }))
  ofPatient(@Param('patient_id') patientId: string) {
    return { patient_id: patientId };
  }
}

const testApp = (env: Record<string, string> = {}) =>
  createApp({ env: { ENVIRONMENT: 'TEST', ...env }, testing: true, controllers: [ReportController], logger: silentLogger });

const status = async (response: Promise<Response>) => (await response).status;
/** What a caller sees for a token the app cannot verify. */
const refused = async (response: Promise<Response>) => {
  const res = await response;
  return { status: res.status, body: await res.json() };
};
const NOT_VALID = { status: 403, body: { message: 'Could not validate credentials' } };

describe('createApp({ testing: true }) with the testing helpers', () => {
  it('starts with no security variable set, and an @ApiKey route takes apiKeyHeaders()', async () => {
    const app = testApp();
    const ok = await testRequest(app, '/reports/export', { headers: apiKeyHeaders() });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ exported: true });
    expect(await status(testRequest(app, '/reports/export'))).toBe(401);
    expect(await status(testRequest(app, '/reports/export', { headers: apiKeyHeaders('a-guess') }))).toBe(403);
  });

  it('a @Scopes route takes a token from mintToken() with the scope, and refuses one without it', async () => {
    const app = testApp();
    const res = await testRequest(app, '/reports', { headers: bearer(await mintToken({ scopes: ['read:report'], sub: 'u-7' })) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reader: 'u-7' });
    const missing = await testRequest(app, '/reports', { headers: bearer(await mintToken({ scopes: ['write:report'] })) });
    expect(missing.status).toBe(403);
    expect(await status(testRequest(app, '/reports'))).toBe(401);
  });

  it('works the same with a plain Request to app.fetch', async () => {
    const app = testApp();
    const headers = { ...apiKeyHeaders(), accept: 'application/json' };
    expect((await app.fetch(new Request('http://localhost/reports/export', { headers }))).status).toBe(200);
    const token = await mintToken({ scopes: ['read:report'] });
    expect((await app.fetch(new Request('http://localhost/reports', { headers: bearer(token) }))).status).toBe(200);
  });

  it('a @Secured rule sees the metadata claims of the minted token', async () => {
    const app = testApp();
    const own = bearer(await mintToken({ metadata: { patient_id: 'p-1' } }));
    expect(await status(testRequest(app, '/reports/patients/p-1', { headers: own }))).toBe(200);
    expect(await status(testRequest(app, '/reports/patients/p-2', { headers: own }))).toBe(403);
  });

  it('a token signed with any other key is still refused', async () => {
    const app = testApp();
    const forged = await mintInternalToken({ key: 'not-the-testing-key', issuer: testingCredentials().HS_ISSUER, scopes: ['read:report'] });
    expect(await refused(testRequest(app, '/reports', { headers: bearer(forged) }))).toEqual(NOT_VALID);
  });

  it('the throw-away values are random for each process, never a fixed string', () => {
    expect(testingCredentials().ACCEPTED_API_KEY).toMatch(/^testing-api-key-[0-9a-f-]{36}$/);
    expect(testingCredentials().HS_KEY).toMatch(/^testing-hs-key-[0-9a-f-]{36}$/);
  });
});

describe('values set in the env always win over the testing ones', () => {
  const env = { ACCEPTED_API_KEY: 'my-own-key', HS_KEY: 'my-own-hs-key-0123456789abcdef', PROXY_URL: 'http://localhost:8080' };

  it('the testing key and token are refused; the app-aware helpers use the env values', async () => {
    const app = testApp(env);
    expect(await status(testRequest(app, '/reports/export', { headers: apiKeyHeaders() }))).toBe(403);
    expect(await status(testRequest(app, '/reports/export', { headers: apiKeyHeaders('my-own-key') }))).toBe(200);
    expect(await status(testRequest(app, '/reports/export', { headers: apiKeyHeaders(app) }))).toBe(200);
    const testingToken = await mintToken({ scopes: ['read:report'] });
    expect(await refused(testRequest(app, '/reports', { headers: bearer(testingToken) }))).toEqual(NOT_VALID);
    const forApp = await mintToken({ app, scopes: ['read:report'] });
    expect(await status(testRequest(app, '/reports', { headers: bearer(forApp) }))).toBe(200);
  });

  it('only what is missing is filled: HS_KEY given without an issuer gets the testing issuer', async () => {
    const app = testApp({ HS_KEY: env.HS_KEY });
    const token = await mintToken({ key: env.HS_KEY, scopes: ['read:report'] });
    expect(await status(testRequest(app, '/reports', { headers: bearer(token) }))).toBe(200);
    expect(await status(testRequest(app, '/reports/export', { headers: apiKeyHeaders() }))).toBe(200);
  });

  it('a variable set to an invalid value is reported, not replaced', () => {
    expect(() => testApp({ ACCEPTED_API_KEY: '   ' })).toThrow(/ACCEPTED_API_KEY: must not be blank/);
  });
});

describe('never outside testing mode, never in production', () => {
  const build = (env: Record<string, string>, testing: boolean) => () =>
    createApp({ env, testing, controllers: [ReportController], logger: silentLogger });

  it.each([['PRODUCTION'], ['production']])('ENVIRONMENT=%s with testing: true refuses to start, naming the variables', (environment) => {
    const start = build({ ENVIRONMENT: environment }, true);
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/ACCEPTED_API_KEY: is required/);
    expect(start).toThrow(/no issuer is configured/);
  });

  it('ENVIRONMENT unset (PRODUCTION rules) with testing: true refuses, and says why', () => {
    expect(build({}, true)).toThrow(/ACCEPTED_API_KEY: is required[\s\S]*ENVIRONMENT is not set, so PRODUCTION rules apply/);
  });

  it('a served app (testing off) in DEVELOPMENT gets no made-up key', () => {
    expect(build({ ENVIRONMENT: 'DEVELOPMENT' }, false)).toThrow(/ACCEPTED_API_KEY: is required/);
  });
});
