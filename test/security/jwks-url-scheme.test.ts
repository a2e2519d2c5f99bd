import { describe, expect, it } from 'vitest';
import { ConfigError, Controller, createApp, Get, type IssuerOptions, Secured } from '../../src/index.ts';
import { captureLogger } from './helpers.ts';

@Controller('/me')
class MeController {
  @Get('/')
  @Secured()
  me() {
    return { ok: true };
  }
}

/** A production app (not testing mode) with only `env` and, optionally, issuers given in code. */
const start = (env: Record<string, string>, issuers?: IssuerOptions[]) => () =>
  createApp({
    env: { ENVIRONMENT: 'PRODUCTION', AUTH_PROVIDER_AUDIENCE: 'api', ...env },
    docs: false,
    controllers: [MeController],
    logger: captureLogger(),
    ...(issuers === undefined ? {} : { jwt: { issuers } }),
  });

const PLAIN_HTTP = /the key set must be fetched over https \(plain http only on loopback: 127\.0\.0\.0\/8, ::1, localhost\)/;

describe('a key set over plain http off loopback', () => {
  it.each([
    ['AUTH_PROVIDER_DOMAIN', { AUTH_PROVIDER_DOMAIN: 'http://login.example.com/' }],
    [
      'AUTH_PROVIDER_JWKS_URL',
      { AUTH_PROVIDER_DOMAIN: 'https://login.example.com/', AUTH_PROVIDER_JWKS_URL: 'http://login.example.com/jwks.json' },
    ],
    [
      'AUTH_PROVIDER_JWKS_URL',
      { AUTH_PROVIDER_ISSUER: 'http://login.example.com', AUTH_PROVIDER_JWKS_URL: 'http://login.example.com/jwks' },
    ],
    [
      'AUTH_PROVIDER_JWKS_URL',
      { AUTH_PROVIDER_DOMAIN: 'https://login.example.com/', AUTH_PROVIDER_JWKS_URL: 'ftp://login.example.com/jwks' },
    ],
  ])('refuses to start, naming %s', (variable, env) => {
    expect(start(env)).toThrow(ConfigError);
    expect(start(env)).toThrow(new RegExp(`${variable}: ${PLAIN_HTTP.source}`));
  });

  it('refuses an http jwksUrl off loopback for an issuer given in code, naming it', () => {
    const issuer = { name: 'idp', issuer: 'https://idp.example.org/', jwksUrl: 'http://idp.example.org/certs', audience: 'api' };
    expect(start({}, [issuer])).toThrow(ConfigError);
    expect(start({}, [issuer])).toThrow(new RegExp(`jwt\\.issuers\\[idp\\]\\.jwksUrl: ${PLAIN_HTTP.source}`));
  });

  it('starts with https, and with plain http on a loopback host', () => {
    for (const jwks of [
      'https://login.example.com/jwks.json',
      'http://127.0.0.1:9/jwks.json',
      'http://127.8.9.10/jwks',
      'http://[::1]:9/jwks',
      'http://localhost:9/jwks',
    ]) {
      expect(start({ AUTH_PROVIDER_DOMAIN: 'https://login.example.com/', AUTH_PROVIDER_JWKS_URL: jwks })).not.toThrow();
    }
    expect(start({ AUTH_PROVIDER_DOMAIN: 'http://127.0.0.1:9/' })).not.toThrow();
    expect(start({ AUTH_PROVIDER_DOMAIN: 'login.example.com' })).not.toThrow();
  });
});
