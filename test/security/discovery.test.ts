import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, Controller, Get, Secured } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken, type ProviderKeys } from '../../src/testing/index.ts';
import { bearer, expectJson, req, secureApp } from './helpers.ts';

@Controller('/me')
class MeController {
  @Get('/')
  @Secured()
  me() {
    return { ok: true };
  }
}

/** A loopback issuer at `<origin>/realms/acme` whose discovery document the tests bend. */
let server: Server;
let origin = '';
let keys: ProviderKeys;
let discovery: (issuer: string) => { status: number; body: string };
let discoveryHits = 0;
let jwksHits = 0;
const issuer = () => `${origin}/realms/acme`;

beforeAll(async () => {
  keys = await createProviderKeys('RS256');
  server = createServer((request, response) => {
    const url = request.url ?? '';
    let answer = { status: 404, body: '{}' };
    if (url === '/realms/acme/.well-known/openid-configuration') {
      discoveryHits++;
      answer = discovery(issuer());
    } else if (url === '/realms/acme/certs') {
      jwksHits++;
      answer = { status: 200, body: JSON.stringify(keys.jwks) };
    }
    response.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  discoveryHits = 0;
  jwksHits = 0;
  discovery = (iss) => ({ status: 200, body: JSON.stringify({ issuer: iss, jwks_uri: `${iss}/certs` }) });
});

const app = (env: Record<string, string> = {}) =>
  secureApp([MeController], {
    HS_KEY: '',
    PROXY_URL: '',
    AUTH_PROVIDER_ISSUER: issuer(),
    AUTH_PROVIDER_AUDIENCE: 'api',
    JWKS_COOLDOWN_SECONDS: '1',
    JWKS_TIMEOUT_MS: '500',
    ...env,
  });
const token = (iss = issuer()) => mintProviderToken(keys, { issuer: iss, audience: 'api' });

describe('AUTH_PROVIDER_ISSUER: the exact issuer', () => {
  it('matches iss verbatim: no slash is added, and a token whose iss has one is an unknown issuer', async () => {
    const { app: a, logger } = app();
    expect((await a.fetch(req('/me/', bearer(await token())))).status).toBe(200);
    expect((await a.fetch(req('/me/', bearer(await token(`${issuer()}/`))))).status).toBe(403);
    expect(logger.text()).toContain('unknown issuer');
  });

  it('AUTH_PROVIDER_DOMAIN keeps its Auth0 meaning (https://<domain>/)', async () => {
    const { app: a } = secureApp([MeController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_DOMAIN: 'login.example.org',
      AUTH_PROVIDER_AUDIENCE: 'api',
      AUTH_PROVIDER_JWKS_TESTING: JSON.stringify(keys.jwks),
    });
    expect((await a.fetch(req('/me/', bearer(await token('https://login.example.org/'))))).status).toBe(200);
    expect((await a.fetch(req('/me/', bearer(await token('https://login.example.org'))))).status).toBe(403);
  });

  it.each([
    [
      'both AUTH_PROVIDER_ISSUER and AUTH_PROVIDER_DOMAIN',
      { AUTH_PROVIDER_DOMAIN: 'login.example.org' },
      /AUTH_PROVIDER_ISSUER: set it or AUTH_PROVIDER_DOMAIN, not both/,
    ],
    ['an issuer that is not a URL', { AUTH_PROVIDER_ISSUER: 'login.example.org' }, /AUTH_PROVIDER_ISSUER: must be an http\(s\) URL/],
    ['no audience', { AUTH_PROVIDER_AUDIENCE: '' }, /AUTH_PROVIDER_AUDIENCE: is required with AUTH_PROVIDER_ISSUER/],
    [
      'the same issuer as HS_ISSUER (one would silently replace the other)',
      {
        HS_KEY: 'an-internal-secret-of-enough-length',
        HS_ISSUER: 'http://127.0.0.1:1/realms/acme',
        AUTH_PROVIDER_ISSUER: 'http://127.0.0.1:1/realms/acme',
      },
      /AUTH_PROVIDER_ISSUER: gives the issuer http:\/\/127\.0\.0\.1:1\/realms\/acme that HS_ISSUER already gives/,
    ],
    [
      'plain-http discovery for an issuer that is not on loopback, in production',
      { ENVIRONMENT: 'PRODUCTION', AUTH_PROVIDER_ISSUER: 'http://idp.example.org/realms/acme' },
      /AUTH_PROVIDER_ISSUER: OpenID discovery needs an https issuer \(plain http only on loopback/,
    ],
  ])('refuses %s when the app is created', (_name, env, message) => {
    expect(() => app(env)).toThrow(ConfigError);
    expect(() => app(env)).toThrow(message);
  });

  it('a plain-http issuer off loopback is fine when AUTH_PROVIDER_JWKS_URL is given (nothing is discovered over http)', () => {
    expect(() =>
      app({ AUTH_PROVIDER_ISSUER: 'http://idp.example.org/realms/acme', AUTH_PROVIDER_JWKS_URL: `${issuer()}/certs` }),
    ).not.toThrow();
  });

  it('refuses plain-http discovery off loopback in production for issuers given in code too', () => {
    const code = (iss: string) => () =>
      secureApp(
        [MeController],
        { ENVIRONMENT: 'PRODUCTION', HS_KEY: '', PROXY_URL: '' },
        { jwt: { issuers: [{ name: 'idp', issuer: iss, discovery: true, audience: 'api' }] } },
      );
    expect(code('http://idp.example.org/realms/acme')).toThrow(/jwt.issuers\[idp\]: OpenID discovery needs an https issuer/);
    for (const loopback of [
      'http://127.0.0.1:8080/r',
      'http://127.1.2.3/r',
      'http://localhost:8080/r',
      'http://[::1]:8080/r',
      'https://idp.example.org/r',
    ]) {
      expect(code(loopback), loopback).not.toThrow();
    }
    expect(code('http://127.0.0.1.nip.io/r')).toThrow(ConfigError);
  });

  it('uses AUTH_PROVIDER_JWKS_URL when given, without discovery', async () => {
    const { app: a } = app({ AUTH_PROVIDER_JWKS_URL: `${issuer()}/certs` });
    expect((await a.fetch(req('/me/', bearer(await token())))).status).toBe(200);
    expect([discoveryHits, jwksHits]).toEqual([0, 1]);
  });
});

describe('OpenID discovery', () => {
  it('reads jwks_uri once, on the first token, and caches it', async () => {
    const { app: a } = app();
    expect(discoveryHits).toBe(0);
    const t = await token();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => a.fetch(req('/me/', bearer(t))).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await a.fetch(req('/me/', bearer(t)))).status).toBe(200);
    expect([discoveryHits, jwksHits]).toEqual([1, 1]);
  });

  it.each([
    ['answers 500', () => ({ status: 500, body: '{}' })],
    ['answers garbage', () => ({ status: 200, body: '<html>' })],
    [
      'names another issuer (anyone could otherwise choose our keys)',
      () => ({ status: 200, body: JSON.stringify({ issuer: 'https://evil.example', jwks_uri: `${issuer()}/certs` }) }),
    ],
    ['has no jwks_uri', (iss: string) => ({ status: 200, body: JSON.stringify({ issuer: iss }) })],
    [
      'points jwks_uri at a non-http scheme',
      (iss: string) => ({ status: 200, body: JSON.stringify({ issuer: iss, jwks_uri: 'file:///etc/passwd' }) }),
    ],
    [
      'is larger than 256 KiB',
      (iss: string) => ({ status: 200, body: JSON.stringify({ issuer: iss, jwks_uri: `${iss}/certs`, pad: 'x'.repeat(300_000) }) }),
    ],
  ])('answers 503 + Retry-After with a fixed message when the document %s, asks again at most once per backoff', async (_name, bend) => {
    discovery = bend;
    const { app: a, logger } = app();
    const t = await token();
    const responses = await Promise.all(Array.from({ length: 10 }, () => a.fetch(req('/me/', bearer(t)))));
    for (const r of responses) {
      expect(await expectJson(r.clone())).toEqual({ status: 503, body: { message: 'Could not fetch signing keys' } });
      expect(r.headers.get('retry-after')).toBe('1');
    }
    expect(discoveryHits).toBe(1);
    // a request after the failed attempt, still within the backoff, does not ask again
    const later = await a.fetch(req('/me/', bearer(t)));
    expect(later.status).toBe(503);
    expect(discoveryHits).toBe(1);
    expect(logger.text()).toContain('OpenID discovery failed');
    expect(logger.text()).not.toContain(t);
  });

  it('refuses a plain-http jwks_uri off loopback in production, even for a loopback issuer (503, nothing fetched there)', async () => {
    discovery = (iss) => ({ status: 200, body: JSON.stringify({ issuer: iss, jwks_uri: 'http://idp.example.org/certs' }) });
    const { app: a, logger } = app({ ENVIRONMENT: 'PRODUCTION' });
    expect((await a.fetch(req('/me/', bearer(await token())))).status).toBe(503);
    expect(logger.text()).toContain('jwks_uri must use https (plain http only on loopback)');
  });

  it('recovers once the document is right again', async () => {
    discovery = () => ({ status: 503, body: '{}' });
    const { app: a } = app();
    const t = await token();
    expect((await a.fetch(req('/me/', bearer(t)))).status).toBe(503);
    discovery = (iss) => ({ status: 200, body: JSON.stringify({ issuer: iss, jwks_uri: `${iss}/certs` }) });
    await new Promise((r) => setTimeout(r, 1050));
    expect((await a.fetch(req('/me/', bearer(t)))).status).toBe(200);
    expect(discoveryHits).toBe(2);
  });

  it('works for issuers given in code too (discovery: true)', async () => {
    const { app: a } = secureApp(
      [MeController],
      { HS_KEY: '', PROXY_URL: '' },
      {
        jwt: { issuers: [{ name: 'keycloak', issuer: issuer(), discovery: true, audience: 'api', jwksCooldownSeconds: 1 }] },
      },
    );
    expect((await a.fetch(req('/me/', bearer(await token())))).status).toBe(200);
    expect(discoveryHits).toBe(1);
  });
});
