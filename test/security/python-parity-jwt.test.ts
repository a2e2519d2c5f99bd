import { describe, expect, it } from 'vitest';
import { createProviderKeys, mintProviderToken, signRawHs } from '../../src/testing/index.ts';
import { bearer, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';
import { ClinicianController } from './python-parity-app.ts';

describe('JWT claims python-jose refused', () => {
  const { app, logger } = secureApp([ClinicianController]);

  it.each([
    ['a numeric sub', { sub: 42 }, 'sub is not a string'],
    ['an object sub', { sub: { id: 'x' } }, 'sub is not a string'],
    ['a numeric jti', { sub: 'u', jti: 7 }, 'jti is not a string'],
  ])('refuses %s with 403 and logs why', async (_name, claims, reason) => {
    const payload = JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60, ...claims });
    const t = await signRawHs('{"alg":"HS256","typ":"JWT"}', payload, HS_KEY);
    expect(await expectJson(await app.fetch(req('/clinician/compact?compact=true', bearer(t))))).toEqual({
      status: 403,
      body: { message: 'Could not validate credentials' },
    });
    expect(logger.lines.some((l) => l.message === 'Access attempted with invalid JWT' && l.fields?.reason === reason)).toBe(true);
  });

  it('accepts string sub and jti', async () => {
    const payload = JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60, sub: 'u', jti: 'j-1' });
    const t = await signRawHs('{"alg":"HS256","typ":"JWT"}', payload, HS_KEY);
    expect((await app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(200);
  });
});

describe('a key-set token without kid', () => {
  const issuer = 'https://login.example.org/';
  const appWith = (keys: object[]) =>
    secureApp([ClinicianController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_DOMAIN: 'login.example.org',
      AUTH_PROVIDER_AUDIENCE: 'api',
      AUTH_PROVIDER_JWKS_TESTING: JSON.stringify({ keys }),
    });

  it('is accepted when exactly one key of the set fits, refused (403, logged) when several do', async () => {
    const a = await createProviderKeys('RS256');
    const b = await createProviderKeys('RS256');
    const noKid = ({ kid, ...jwk }: { kid?: string }) => jwk;
    const t = await mintProviderToken({ ...a, kid: undefined as unknown as string }, { issuer, audience: 'api' });
    expect(JSON.parse(atob(t.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).kid).toBeUndefined();

    const one = appWith([noKid(a.jwks.keys[0])]);
    expect((await one.app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(200);

    const two = appWith([noKid(b.jwks.keys[0]), noKid(a.jwks.keys[0])]);
    expect((await two.app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(403);
    expect(two.logger.text()).toContain('ERR_JWKS_MULTIPLE_MATCHING_KEYS');
  });
});
