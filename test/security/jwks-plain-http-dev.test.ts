import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, Controller, createApp, Get, type IssuerOptions, Secured, Token, type TokenData } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken, type ProviderKeys } from '../../src/testing/index.ts';
import { type JwksServer, startJwksServer } from '../../src/testing/node.ts';
import { bearer, captureLogger, expectJson, req, secureApp } from './helpers.ts';

@Controller('/me')
class MeController {
  @Get('/')
  @Secured()
  me(@Token() token: TokenData) {
    return { iss: token.claims.iss };
  }
}

const PLAIN_HTTP_KEY_SET =
  /AUTH_PROVIDER_DOMAIN: the key set must be fetched over https \(plain http only on loopback: 127\.0\.0\.0\/8, ::1, localhost\)/;

/** An app with only `env` (audience `api`, no internal issuer), logs captured; `createApp` throws what start-up refuses. */
function start(environment: string, env: Record<string, string>, issuers?: IssuerOptions[]) {
  const logger = captureLogger();
  const app = createApp({
    env: { ENVIRONMENT: environment, AUTH_PROVIDER_AUDIENCE: 'api', JWKS_TIMEOUT_MS: '1000', ...env },
    docs: false,
    controllers: [MeController],
    logger,
    ...(issuers === undefined ? {} : { jwt: { issuers } }),
  });
  return { app, logger };
}

const plainHttpWarnings = (logger: ReturnType<typeof captureLogger>) =>
  logger.lines.filter((l) => l.level === 'warn' && l.message.includes('over plain http'));

/**
 * The name a docker compose network would resolve (`keycloak:8080`) is sent to a server on this
 * machine's loopback: the app still sees, checks and fetches the non-loopback URL.
 */
function resolveHost(host: string, origin: string) {
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host !== host) return realFetch(input, init);
    return realFetch(`${origin}${url.pathname}${url.search}`, init);
  });
}
afterEach(() => {
  vi.unstubAllGlobals();
  realmIssuer = KEYCLOAK;
});

let keys: ProviderKeys;
let jwksServer: JwksServer;
/** A Keycloak-like realm: discovery document and certs, at whatever public origin the test names. */
let realm: Server;
let realmOrigin = '';
let realmHits: string[] = [];
const KEYCLOAK = 'http://keycloak:8080/realms/dev';
/** The issuer the realm's discovery document names (its `jwks_uri` is always at keycloak:8080). */
let realmIssuer = KEYCLOAK;

beforeAll(async () => {
  keys = await createProviderKeys('RS256');
  jwksServer = await startJwksServer(keys.jwks);
  realm = createServer((request, response) => {
    const path = request.url ?? '';
    realmHits.push(path);
    let body = '{}';
    if (path === '/realms/dev/.well-known/openid-configuration') {
      body = JSON.stringify({ issuer: realmIssuer, jwks_uri: `${KEYCLOAK}/protocol/openid-connect/certs` });
    } else if (path === '/realms/dev/protocol/openid-connect/certs') body = JSON.stringify(keys.jwks);
    response.writeHead(body === '{}' ? 404 : 200, { 'content-type': 'application/json', connection: 'close' });
    response.end(body);
  });
  await new Promise<void>((resolve) => realm.listen(0, '127.0.0.1', () => resolve()));
  realmOrigin = `http://127.0.0.1:${(realm.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await jwksServer.close();
  await new Promise<void>((resolve) => realm.close(() => resolve()));
});

describe('a key set over plain http off loopback, outside production', () => {
  it('starts in DEVELOPMENT with AUTH_PROVIDER_DOMAIN=http://idp.example/ and logs one WARN naming the issuer and the URL', () => {
    const { logger } = start('DEVELOPMENT', { AUTH_PROVIDER_DOMAIN: 'http://idp.example/' });
    const warnings = plainHttpWarnings(logger);
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning.message).toContain('JWT issuer auth-provider');
    expect(warning.message).toContain('http://idp.example/.well-known/jwks.json');
    expect(warning.message).toContain('anyone on the network can swap the keys');
    expect(warning.message).toContain('ENVIRONMENT=PRODUCTION refuses this');
    expect(warning.fields).toEqual({ issuer: 'auth-provider', url: 'http://idp.example/.well-known/jwks.json' });
    // only plain http is let through: a URL that is not http(s) at all is still refused
    const ftp = { AUTH_PROVIDER_DOMAIN: 'https://idp.example/', AUTH_PROVIDER_JWKS_URL: 'ftp://idp.example/jwks' };
    expect(() => start('DEVELOPMENT', ftp)).toThrow(/AUTH_PROVIDER_JWKS_URL: the key set must be fetched over https/);
  });

  it('the same variables are refused in PRODUCTION with the message as before, and nothing is warned', () => {
    const env = { AUTH_PROVIDER_DOMAIN: 'http://idp.example/' };
    expect(() => start('DEVELOPMENT', env)).not.toThrow();
    const logger = captureLogger();
    const production = () =>
      createApp({
        env: { ENVIRONMENT: 'PRODUCTION', AUTH_PROVIDER_AUDIENCE: 'api', ...env },
        docs: false,
        controllers: [MeController],
        logger,
      });
    expect(production).toThrow(ConfigError);
    expect(production).toThrow(PLAIN_HTTP_KEY_SET);
    expect(plainHttpWarnings(logger)).toEqual([]);
  });

  it('OpenID discovery of a plain-http issuer (a compose Keycloak) starts in DEVELOPMENT, warns once, and is refused in PRODUCTION', () => {
    const env = { AUTH_PROVIDER_ISSUER: KEYCLOAK };
    const { logger } = start('DEVELOPMENT', env);
    expect(plainHttpWarnings(logger).map((l) => l.fields)).toEqual([
      { issuer: 'auth-provider', url: `${KEYCLOAK}/.well-known/openid-configuration` },
    ]);
    expect(() => start('PRODUCTION', env)).toThrow(
      /AUTH_PROVIDER_ISSUER: OpenID discovery needs an https issuer \(plain http only on loopback: 127\.0\.0\.0\/8, ::1, localhost\), or set the key-set URL/,
    );
  });

  it('issuers given in code (jwksUrl, discovery) start in STAGING with one warning each; PRODUCTION names each', () => {
    const issuers: IssuerOptions[] = [
      { name: 'partner', issuer: 'https://partner.example/', jwksUrl: 'http://partner.internal/certs', audience: 'api' },
      { name: 'kc', issuer: KEYCLOAK, discovery: true, audience: 'api' },
    ];
    const { logger } = start('STAGING', {}, issuers);
    expect(plainHttpWarnings(logger).map((l) => l.fields)).toEqual([
      { issuer: 'partner', url: 'http://partner.internal/certs' },
      { issuer: 'kc', url: `${KEYCLOAK}/.well-known/openid-configuration` },
    ]);
    const production = () => start('PRODUCTION', {}, issuers);
    expect(production).toThrow(/jwt\.issuers\[partner\]\.jwksUrl: the key set must be fetched over https/);
    expect(production).toThrow(/jwt\.issuers\[kc\]: OpenID discovery needs an https issuer/);
  });
});

describe('tokens verified over plain http at a non-loopback name, outside production', () => {
  it('answers 200 for a token whose key set is AUTH_PROVIDER_JWKS_URL=http://keycloak:8080/... (a real JWKS server)', async () => {
    resolveHost('keycloak:8080', jwksServer.url.replace(/\/$/, ''));
    const before = jwksServer.requests;
    const { app } = secureApp([MeController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_ISSUER: KEYCLOAK,
      AUTH_PROVIDER_AUDIENCE: 'api',
      AUTH_PROVIDER_JWKS_URL: `${KEYCLOAK}/protocol/openid-connect/certs`,
    });
    const token = await mintProviderToken(keys, { issuer: KEYCLOAK, audience: 'api' });
    const res = await expectJson(await app.fetch(req('/me/', bearer(token))));
    expect(res).toEqual({ status: 200, body: { iss: KEYCLOAK } });
    expect(jwksServer.requests).toBe(before + 1);
  });

  it('answers 200 for a token found by OpenID discovery of http://keycloak:8080/realms/dev (document and jwks_uri over plain http)', async () => {
    resolveHost('keycloak:8080', realmOrigin);
    realmHits = [];
    const { app, logger } = secureApp([MeController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_ISSUER: KEYCLOAK,
      AUTH_PROVIDER_AUDIENCE: 'api',
    });
    const token = await mintProviderToken(keys, { issuer: KEYCLOAK, audience: 'api' });
    const res = await expectJson(await app.fetch(req('/me/', bearer(token))));
    expect(res).toEqual({ status: 200, body: { iss: KEYCLOAK } });
    expect(realmHits).toEqual(['/realms/dev/.well-known/openid-configuration', '/realms/dev/protocol/openid-connect/certs']);
    // the issuer was warned about at start; its jwks_uri adds no second warning
    expect(plainHttpWarnings(logger)).toHaveLength(1);
  });

  it('a loopback issuer whose discovered jwks_uri is plain http at a non-loopback name: 200, with one warning naming the jwks_uri', async () => {
    resolveHost('keycloak:8080', realmOrigin);
    realmIssuer = `${realmOrigin}/realms/dev`;
    const { app, logger } = secureApp([MeController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_ISSUER: realmIssuer,
      AUTH_PROVIDER_AUDIENCE: 'api',
    });
    expect(plainHttpWarnings(logger)).toEqual([]);
    const token = await mintProviderToken(keys, { issuer: realmIssuer, audience: 'api' });
    expect((await app.fetch(req('/me/', bearer(token)))).status).toBe(200);
    expect(plainHttpWarnings(logger).map((l) => l.fields)).toEqual([
      { issuer: 'auth-provider', url: `${KEYCLOAK}/protocol/openid-connect/certs` },
    ]);
  });
});
