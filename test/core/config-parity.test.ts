// Environment variables read as the Python package's pydantic settings read them, or refused.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { tokenCommand } from '../../src/cli/token.ts';
import { Controller, createApp, Get, Scopes, User, type ValidatedUser } from '../../src/index.ts';
import { configError, quietLogger } from './helpers.ts';

const HS_KEY = 'parity-hs-key-parity-hs-key-32chars';
const PROXY_URL = 'http://localhost';

@Controller('/')
class Me {
  @Get('/me', User())
  @Scopes('read:x')
  me(user: ValidatedUser) {
    return { user_id: user.user_id };
  }
}

const build = (env: Record<string, string>, options: { database?: boolean } = {}) =>
  createApp({ env: { HS_KEY, PROXY_URL, ...env }, controllers: [Me], docs: false, logger: quietLogger(), ...options });

describe('ENVIRONMENT is matched exactly', () => {
  it('refuses a lower-case staging at start, naming the spelling to use', () => {
    // Python compared case-sensitively, so `staging` was PRODUCTION there; here it must not open
    // the non-production switches (ALLOW_DROP_DATA, the embedded PGlite) either
    const error = configError(() => build({ ENVIRONMENT: 'staging', ALLOW_DROP_DATA: 'true' }, { database: true }));
    expect(error.problems).toContain(
      'ENVIRONMENT: is case-sensitive: set ENVIRONMENT=STAGING, not staging (must be exactly one of PRODUCTION, DEMO, DEVELOPMENT, STAGING, TRAINING, TEST) (general)',
    );
  });

  it('treats STAGING as non-production', () => {
    const app = build({ ENVIRONMENT: 'STAGING', ALLOW_DROP_DATA: 'true' });
    expect(app.config?.general.production).toBe(false);
    expect(app.config?.general.ALLOW_DROP_DATA).toBe(true);
  });

  it('refuses an unknown value with the allowed ones', () => {
    const error = configError(() => build({ ENVIRONMENT: 'UAT' }));
    expect(error.problems).toContain(
      'ENVIRONMENT: must be exactly one of PRODUCTION, DEMO, DEVELOPMENT, STAGING, TRAINING, TEST (general)',
    );
  });

  it('the token command refuses a lower-case development too', async () => {
    const { code, out } = await tokenCommand([], { ENVIRONMENT: 'development', HS_KEY, PROXY_URL });
    expect(code).toBe(1);
    expect(out).toContain('ENVIRONMENT is case-sensitive: set ENVIRONMENT=DEVELOPMENT, not development');
  });
});

describe('list variables', () => {
  const token = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(HS_KEY));

  it('reads a JSON array, as pydantic does, and the user id comes from the listed claim', async () => {
    const app = build({ ENVIRONMENT: 'DEVELOPMENT', VALID_USER_ID_KEYS: '["clinician_id"]' });
    expect(app.config?.jwt?.VALID_USER_ID_KEYS).toEqual(['clinician_id']);
    const bearer = await token({ iss: `${PROXY_URL}/`, scope: 'read:x', metadata: { clinician_id: 'c1' } });
    const res = await app.fetch(new Request('http://t/me', { headers: { authorization: `Bearer ${bearer}` } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user_id: 'c1' });
  });

  it('still reads the comma and space form', () => {
    const app = build({ ENVIRONMENT: 'DEVELOPMENT', VALID_USER_ID_KEYS: 'clinician_id, patient_id', VALID_JWT_ALGORITHMS: 'HS256 HS512' });
    expect(app.config?.jwt?.VALID_USER_ID_KEYS).toEqual(['clinician_id', 'patient_id']);
    expect(app.config?.jwt?.VALID_JWT_ALGORITHMS).toEqual(['HS256', 'HS512']);
  });

  it('reads a JSON array of algorithms', () => {
    const app = build({ ENVIRONMENT: 'DEVELOPMENT', VALID_JWT_ALGORITHMS: ' ["HS256", "RS256"] ' });
    expect(app.config?.jwt?.VALID_JWT_ALGORITHMS).toEqual(['HS256', 'RS256']);
  });

  it.each([
    ['unterminated', '["clinician_id"'],
    ['not strings', '[1, 2]'],
  ])('refuses malformed JSON (%s), naming the variable', (_name, value) => {
    const error = configError(() => build({ ENVIRONMENT: 'DEVELOPMENT', VALID_USER_ID_KEYS: value }));
    expect(error.problems).toContain('VALID_USER_ID_KEYS: starts with [ but is not a JSON array of strings (use ["a","b"] or a,b) (jwt)');
  });
});

describe('booleans', () => {
  it.each(['true', 'TRUE', '1', 'yes', 'Yes', 'y', 'on', 'ON', 't'])('reads %s as true', (value) => {
    expect(build({ ENVIRONMENT: 'TEST', ALLOW_DROP_DATA: value }).config?.general.ALLOW_DROP_DATA).toBe(true);
  });

  it.each(['false', 'False', '0', 'no', 'NO', 'n', 'off', 'f'])('reads %s as false', (value) => {
    expect(build({ ENVIRONMENT: 'TEST', ALLOW_DROP_DATA: value }).config?.general.ALLOW_DROP_DATA).toBe(false);
  });

  it('refuses yes for ALLOW_DROP_DATA in PRODUCTION, and anything outside the list anywhere', () => {
    expect(configError(() => build({ ENVIRONMENT: 'PRODUCTION', ALLOW_DROP_DATA: 'yes' })).problems).toContain(
      'ALLOW_DROP_DATA: is refused when ENVIRONMENT is PRODUCTION',
    );
    expect(configError(() => build({ ENVIRONMENT: 'TEST', ALLOW_DROP_DATA: 'maybe' })).problems).toContain(
      'ALLOW_DROP_DATA: must be true or false (or 1/0, yes/no, y/n, on/off, t/f) (general)',
    );
  });
});
