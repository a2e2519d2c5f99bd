import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, createApp } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken } from '../../src/testing/index.ts';
import { bearer, captureLogger, HS_KEY, req, secureApp } from './helpers.ts';
import { JwtController, now } from './jwt-app.ts';

describe('JWT configuration', () => {
  const build =
    (env: Record<string, string>, options = {}) =>
    () =>
      createApp({
        env: { ENVIRONMENT: 'DEVELOPMENT', ...env },
        testing: true,
        docs: false,
        controllers: [JwtController],
        logger: captureLogger(),
        ...options,
      });

  // outside testing mode: `testing: true` gives unset HS_KEY and HS_ISSUER throw-away values
  const served = { testing: false };

  it('refuses to start without any issuer, naming the variables', () => {
    expect(build({}, served)).toThrow(ConfigError);
    expect(build({}, served)).toThrow(/HS_KEY.*AUTH_PROVIDER_DOMAIN/s);
  });

  it('refuses HS_KEY without HS_ISSUER or PROXY_URL', () => {
    expect(build({ HS_KEY }, served)).toThrow(/HS_ISSUER/);
  });

  it('refuses AUTH_PROVIDER_DOMAIN without AUTH_PROVIDER_AUDIENCE', () => {
    expect(build({ AUTH_PROVIDER_DOMAIN: 'login.example', AUTH_PROVIDER_JWKS_TESTING: '{"keys":[]}' })).toThrow(/AUTH_PROVIDER_AUDIENCE/);
  });

  it('refuses an unknown algorithm in VALID_JWT_ALGORITHMS', () => {
    expect(build({ HS_KEY, PROXY_URL: 'http://x', VALID_JWT_ALGORITHMS: 'HS256,none' })).toThrow(/VALID_JWT_ALGORITHMS/);
  });

  it('refuses IGNORE_JWT_VALIDATION in production', () => {
    expect(build({ HS_KEY, PROXY_URL: 'http://x', ENVIRONMENT: 'PRODUCTION', IGNORE_JWT_VALIDATION: 'true' })).toThrow(
      /IGNORE_JWT_VALIDATION/,
    );
  });

  it('accepts issuers given in code only', async () => {
    const keys = await createProviderKeys('ES256');
    const { app: coded } = secureApp(
      [JwtController],
      { HS_KEY: '', PROXY_URL: '' },
      {
        jwt: { issuers: [{ name: 'partner', issuer: 'https://partner.example/', jwks: keys.jwks, audience: 'api' }] },
      },
    );
    const token = await mintProviderToken(keys, { issuer: 'https://partner.example/', audience: 'api', scopeKey: 'scope', scopes: ['x'] });
    expect((await coded.fetch(req('/jwt/secured', bearer(token)))).status).toBe(200);
    const noAud = await mintProviderToken(keys, { issuer: 'https://partner.example/' });
    expect((await coded.fetch(req('/jwt/secured', bearer(noAud)))).status).toBe(403);
  });

  it('refuses an HS issuer in code without exactly one key source', () => {
    expect(build({}, { jwt: { issuers: [{ issuer: 'https://x/' }] } })).toThrow(/exactly one of secret, jwksUrl, jwks/);
  });

  it('refuses issuers in code that could never accept a token, when the app is created', () => {
    const base = { issuer: 'https://x/', secret: 'a-long-enough-shared-secret-0123456789' };
    expect(build({}, { jwt: { issuers: [{ ...base, requireAudience: true }] } })).toThrow(/requireAudience needs an audience/);
    expect(build({}, { jwt: { issuers: [{ ...base, leewaySeconds: Number.NaN }] } })).toThrow(/leewaySeconds must be/);
    expect(build({}, { jwt: { issuers: [{ ...base, leewaySeconds: -1 }] } })).toThrow(/leewaySeconds must be/);
    expect(build({}, { jwt: { issuers: [{ ...base, algorithms: ['RS256'] }] } })).toThrow(/none of its algorithms/);
  });

  it('never lets a token signed as HS256 with the public key pass a key-set issuer', async () => {
    const keys = await createProviderKeys('RS256');
    const { app: coded } = secureApp([JwtController], {}, { jwt: { issuers: [{ issuer: 'https://rs.example/', jwks: keys.jwks }] } });
    const confused = await new SignJWT({ iss: 'https://rs.example/', exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: keys.kid })
      .sign(new TextEncoder().encode(JSON.stringify(keys.publicJwk)));
    expect((await coded.fetch(req('/jwt/secured', bearer(confused)))).status).toBe(403);
  });
});
