import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller, createApp, Get, Scopes, Secured, scopes_present, Token, type TokenData } from '../../src/index.ts';
import { captureLogger, expectJson } from './helpers.ts';

/**
 * A real OpenID provider (oidc-provider, the certified implementation by jose's author) on
 * 127.0.0.1, issuing RS256 JWT access tokens to a client-credentials client for one resource
 * indicator, with a Keycloak-style issuer (a path, no trailing slash). The app knows it only
 * through environment variables: AUTH_PROVIDER_ISSUER, AUTH_PROVIDER_AUDIENCE, AUTH_PROVIDER_SCOPE_KEY.
 */
const RESOURCE = 'https://api.example.test';
const REALM = '/realms/acme';
const CLIENT = { client_id: 'patient-sync', client_secret: 'patient-sync-secret-0123456789abcdef' };

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }, privateKey };
}

/** One provider process lifetime on a fixed port; restarting with other keys is how a provider rotates. */
class IdentityProvider {
  server: Server | undefined;
  discoveryRequests = 0;
  jwksRequests = 0;
  port = 0;

  get issuer(): string {
    return `http://127.0.0.1:${this.port}${REALM}`;
  }

  async start(keys: SigningKey[]): Promise<void> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    const provider = new Provider(this.issuer, {
      clients: [{ ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
      // the first key signs; the others are still published (as during a rotation)
      jwks: { keys: keys.map((k) => k.privateJwk) },
      ttl: { ClientCredentials: 300 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource) => {
            if (resource !== RESOURCE) throw new Provider.errors.InvalidTarget();
            return {
              scope: 'read:patient write:patient',
              audience: RESOURCE,
              accessTokenFormat: 'jwt',
              accessTokenTTL: 300,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
    });
    const handle = provider.callback();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      if (!url.startsWith(`${REALM}/`)) {
        res.writeHead(404).end();
        return;
      }
      if (url.endsWith('/.well-known/openid-configuration')) this.discoveryRequests++;
      if (url.includes('/jwks')) this.jwksRequests++;
      // mounted under the realm path, as Keycloak serves it; no keep-alive, so a restart leaves no stale sockets
      (req as IncomingMessage & { originalUrl: string }).originalUrl = url;
      req.url = url.slice(REALM.length);
      res.setHeader('connection', 'close');
      handle(req, res);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A client-credentials grant for the resource, as a service calling the API would make it. */
  async token(scope: string): Promise<string> {
    const response = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${CLIENT.client_id}:${CLIENT.client_secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }),
    });
    const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    if (response.status !== 200 || body.access_token === undefined) throw new Error(`token: ${response.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }
}

@Controller('/patients')
class PatientController {
  @Get('/')
  @Scopes('read:patient')
  list(@Token() token: TokenData) {
    return { scopes: token.scopes, iss: token.claims.iss, sub: token.claims.sub };
  }

  @Get('/write')
  @Secured(scopes_present('write:patient'))
  write() {
    return { ok: true };
  }
}

const idp = new IdentityProvider();
const keyA = await signingKey('key-a');
const keyB = await signingKey('key-b');

function appFromEnv(overrides: Record<string, string> = {}) {
  const logger = captureLogger();
  const app = createApp({
    // everything the app knows about the provider is here, as it would be in a deployment
    env: {
      ENVIRONMENT: 'DEVELOPMENT',
      AUTH_PROVIDER_ISSUER: idp.issuer,
      AUTH_PROVIDER_AUDIENCE: RESOURCE,
      AUTH_PROVIDER_SCOPE_KEY: 'scope',
      JWKS_COOLDOWN_SECONDS: '1',
      JWKS_TIMEOUT_MS: '2000',
      JWT_CACHE_TTL_SECONDS: '0',
      ...overrides,
    },
    controllers: [PatientController],
    docs: false,
    logger,
  });
  return { app, logger };
}

const get = (app: ReturnType<typeof appFromEnv>['app'], path: string, token: string) =>
  app.fetch(new Request(`http://service.local${path}`, { headers: { authorization: `Bearer ${token}` } }));

beforeAll(() => idp.start([keyA]));
afterAll(() => idp.stop());

describe('against a real OpenID provider (oidc-provider), configured only through the environment', () => {
  let app: ReturnType<typeof appFromEnv>['app'];
  let logger: ReturnType<typeof appFromEnv>['logger'];
  beforeAll(() => {
    ({ app, logger } = appFromEnv());
  });

  it('accepts its RS256 access token on a scope-secured route; the issuer has no trailing slash; keys come from discovery', async () => {
    const token = await idp.token('read:patient');
    const header = JSON.parse(atob(token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/')));
    expect(header).toMatchObject({ alg: 'RS256', kid: 'key-a' });

    const res = await expectJson(await get(app, '/patients/', token));
    expect(res).toEqual({ status: 200, body: { scopes: ['read:patient'], iss: idp.issuer, sub: CLIENT.client_id } });
    expect(idp.issuer.endsWith('/')).toBe(false);
    expect(idp.discoveryRequests).toBe(1);
    expect(idp.jwksRequests).toBe(1);
  });

  it('refuses a token without the scope, through @Scopes and through scopes_present (which logs the missing scope)', async () => {
    const token = await idp.token('read:patient');
    expect(await expectJson(await get(app, '/patients/write', token))).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(logger.text()).toContain("JWT is missing required scopes: ['write:patient']");
    const writer = await idp.token('write:patient');
    expect(await expectJson(await get(app, '/patients/', writer))).toEqual({ status: 403, body: { message: 'Not enough permissions' } });
    expect((await get(app, '/patients/write', writer)).status).toBe(200);
  });

  it('a key rotated right after the last fetch: 503 + Retry-After (at most 5 s, even with JWKS_COOLDOWN_SECONDS=30), then 200; never a 403', async () => {
    const fresh = appFromEnv({ JWKS_COOLDOWN_SECONDS: '30' });
    const before = await idp.token('read:patient');
    expect((await get(fresh.app, '/patients/', before)).status).toBe(200);
    await idp.stop();
    // the provider rotates: key B signs from now on, key A is still published
    await idp.start([keyB, keyA]);
    const rotated = await idp.token('read:patient');
    expect(JSON.parse(atob(rotated.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).kid).toBe('key-b');

    // the key set was fetched a moment ago: no refetch yet, and the key may be newer than that fetch
    const first = await get(fresh.app, '/patients/', rotated);
    expect(first.status).toBe(503);
    const wait = Number(first.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, wait * 1000 + 50));
    expect((await get(fresh.app, '/patients/', rotated)).status).toBe(200);
    // tokens signed with the previous key keep working; nothing of this is an error in the log
    expect((await get(fresh.app, '/patients/', before)).status).toBe(200);
    expect(fresh.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  }, 10_000);

  it('a key rotated longer than the refetch interval after the last fetch verifies at once, without repeating discovery', async () => {
    const before = await idp.token('read:patient');
    expect((await get(app, '/patients/', before)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // JWKS_COOLDOWN_SECONDS=1
    const keyD = await signingKey('key-d');
    await idp.stop();
    await idp.start([keyD, keyB, keyA]);
    const rotated = await idp.token('read:patient');
    expect(JSON.parse(atob(rotated.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).kid).toBe('key-d');
    const [jwksBefore, discoveryBefore] = [idp.jwksRequests, idp.discoveryRequests];
    expect((await get(app, '/patients/', rotated)).status).toBe(200);
    expect((await get(app, '/patients/', before)).status).toBe(200);
    expect([idp.jwksRequests - jwksBefore, idp.discoveryRequests - discoveryBefore]).toEqual([1, 0]);
  });

  it('while the provider is down, cached keys still verify and an unknown kid gets 503 with Retry-After', async () => {
    const cached = await idp.token('read:patient');
    await idp.stop();
    await new Promise((r) => setTimeout(r, 1100)); // past the cooldown: the unknown kid makes the app try to refetch
    expect((await get(app, '/patients/', cached)).status).toBe(200);

    const stranger = await signingKey('key-c');
    const forged = await new SignJWT({ scope: 'read:patient' })
      .setProtectedHeader({ alg: 'RS256', kid: stranger.kid })
      .setIssuer(idp.issuer)
      .setAudience(RESOURCE)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    const res = await get(app, '/patients/', forged);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({ message: 'Could not fetch signing keys' });
    expect((await get(app, '/patients/', cached)).status).toBe(200);
    await idp.start([keyB, keyA]);
  });

  it('a fresh app whose provider is unreachable answers 503 (discovery failed), then works once it is back', async () => {
    const token = await idp.token('read:patient');
    await idp.stop();
    const fresh = appFromEnv();
    const down = await get(fresh.app, '/patients/', token);
    expect(await expectJson(down.clone())).toEqual({ status: 503, body: { message: 'Could not fetch signing keys' } });
    expect(down.headers.get('retry-after')).not.toBeNull();
    expect(fresh.logger.text()).toContain('OpenID discovery failed');
    await idp.start([keyB, keyA]);
    await new Promise((r) => setTimeout(r, Number(down.headers.get('retry-after')) * 1000 + 50));
    expect((await get(fresh.app, '/patients/', token)).status).toBe(200);
  });
});
