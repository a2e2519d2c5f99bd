import { Hono } from 'hono';
import { jwt as honoJwt } from 'hono/jwt';
import { Router } from 'itty-router';
import { jwtVerify } from 'jose';
import { Controller, createApp, Get, type Logger, match_keys, Scopes, Secured } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { withHonoBatteries } from '../frameworks.ts';
import { benchLogger } from '../log-targets.ts';
import type { BenchTarget, Scenario } from '../scenario.ts';

// The same key, issuer and token in the load generator and in every server process.
export const HS_KEY = 'bench-hs-key-0123456789abcdef0123456789';
export const ISSUER = 'http://bench.local/';
export const TOKEN = await mintInternalToken({
  key: HS_KEY,
  issuer: ISSUER,
  scopes: ['read:patient'],
  sub: 'bench-user',
  metadata: { patient_id: 'p-1' },
  expiresIn: 7 * 24 * 3600,
});
const KEY_BYTES = new TextEncoder().encode(HS_KEY);
const BODY = { message: 'Hello, world' };
/** A route with a rule: the caller's own record only (the path's patient_id is the token's). */
export const PATH = '/secure/patients/p-1';

@Controller('/')
class JwtBenchController {
  @Get('/secure/patients/:patient_id')
  @Scopes('read:patient')
  @Secured(match_keys({ patient_id: 'patient_id' }))
  hello() {
    return BODY;
  }
}

@Controller('/')
class PlainBenchController {
  @Get('/secure/patients/:patient_id')
  hello() {
    return BODY;
  }
}

const discard: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** fetch-batteries in testing mode (as the plain-json baseline), the route behind `@Scopes` and a `match_keys` rule. */
export function oursJwt(cache: boolean): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', HS_KEY, HS_ISSUER: ISSUER, JWT_CACHE_TTL_SECONDS: cache ? '300' : '0' },
    controllers: [JwtBenchController],
    testing: true,
    docs: false,
    logger: discard,
  });
  return {
    name: cache ? 'fetch-batteries (JWT, token cache)' : 'fetch-batteries (JWT, no cache)',
    fetch: app.fetch,
    app,
    close: () => app.close(),
  };
}

/** The JWT route as a deployed service runs it: metrics, monitoring routes and the request log (to stdout over HTTP). */
export function oursJwtAll(): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'INFO', HS_KEY, HS_ISSUER: ISSUER },
    controllers: [JwtBenchController],
    docs: false,
    logger: benchLogger('batched'),
  });
  return { name: 'fetch-batteries (JWT, token cache, all batteries)', fetch: app.fetch, app, close: () => app.close() };
}

/** The same app and route without any security: the ceiling a JWT route is compared with. */
export function oursPlain(): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION' },
    controllers: [PlainBenchController],
    testing: true,
    docs: false,
    logger: discard,
  });
  return { name: 'fetch-batteries (same route, no JWT)', fetch: app.fetch, app, close: () => app.close() };
}

/**
 * Hono with jose doing our checks by hand: Bearer parsing, HS256 allow-list, issuer, exp required,
 * scope, and the rule (the path's patient_id is the token's metadata.patient_id). `key`: the raw bytes (jose imports them on every verification, as its examples do) or a
 * CryptoKey imported once.
 */
function honoWithJose(name: string, key: Uint8Array | Promise<CryptoKey>, batteries = false): BenchTarget {
  const app = new Hono<{ Variables: { requestId: string } }>();
  if (batteries) withHonoBatteries(app, 'line');
  app.get('/secure/patients/:patient_id', async (c) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^bearer\s+(\S+)$/i.exec(header);
    if (!match) return c.json({ message: 'Not authenticated' }, 401);
    let scopes: string[];
    let owner: unknown;
    try {
      const { payload } = await jwtVerify(match[1], await key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['exp'] });
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      owner = (payload.metadata as { patient_id?: unknown } | undefined)?.patient_id;
    } catch {
      return c.json({ message: 'Could not validate credentials' }, 403);
    }
    if (!scopes.includes('read:patient')) return c.json({ message: 'Not enough permissions' }, 403);
    if (owner === undefined || owner !== c.req.param('patient_id')) return c.json({ message: 'Forbidden' }, 403);
    return c.json(BODY);
  });
  return { name, fetch: (request) => app.fetch(request) };
}

export const honoJose = (): BenchTarget => honoWithJose('hono + jose', KEY_BYTES);

/** The same, with the per-request batteries added the Hono way (bench/frameworks.ts). */
export const honoJoseBatteries = (): BenchTarget => honoWithJose('hono + jose + the same batteries', KEY_BYTES, true);

/** A bare itty-router handler doing the same checks with jose, no middleware. */
export function ittyJose(): BenchTarget {
  const router = Router();
  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  router.get('/secure/patients/:patient_id', async (request) => {
    const match = /^bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    if (!match) return json({ message: 'Not authenticated' }, 401);
    let scopes: string[];
    let owner: unknown;
    try {
      const { payload } = await jwtVerify(match[1], KEY_BYTES, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['exp'] });
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      owner = (payload.metadata as { patient_id?: unknown } | undefined)?.patient_id;
    } catch {
      return json({ message: 'Could not validate credentials' }, 403);
    }
    if (!scopes.includes('read:patient')) return json({ message: 'Not enough permissions' }, 403);
    if (owner === undefined || owner !== request.params.patient_id) return json({ message: 'Forbidden' }, 403);
    return json(BODY);
  });
  router.all('*', () => json({ message: 'Not found' }, 404));
  return { name: 'itty-router + jose (bare)', fetch: (request) => router.fetch(request) as Promise<Response> };
}

export const honoJoseKeyOnce = (): BenchTarget =>
  honoWithJose(
    'hono + jose (key imported once)',
    crypto.subtle.importKey('raw', KEY_BYTES, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
  );

/** Hono's own `hono/jwt` middleware plus the scope check. */
export function honoBuiltin(): BenchTarget {
  const app = new Hono();
  app.use('/secure/*', honoJwt({ secret: HS_KEY, alg: 'HS256', verification: { iss: ISSUER } }));
  app.get('/secure/patients/:patient_id', (c) => {
    const payload = c.get('jwtPayload') as { scope?: unknown; metadata?: { patient_id?: unknown } };
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes('read:patient')) return c.json({ message: 'Not enough permissions' }, 403);
    const owner = payload.metadata?.patient_id;
    if (owner === undefined || owner !== c.req.param('patient_id')) return c.json({ message: 'Forbidden' }, 403);
    return c.json(BODY);
  });
  return { name: 'hono (hono/jwt)', fetch: (request) => app.fetch(request) };
}

const scenario: Scenario = {
  name: 'jwt',
  description:
    `GET ${PATH} with the same valid HS256 bearer token every time (@Scopes and a match_keys rule): ours with its verified-token cache, ` +
    'Hono + jose and hono/jwt verifying each request, and our same route without JWT as the ceiling.',
  request: { method: 'GET', path: PATH, headers: { authorization: `Bearer ${TOKEN}` } },
  expectStatus: 200,
  targets: async () => [
    oursJwt(true),
    oursJwtAll(),
    oursPlain(),
    honoJose(),
    honoJoseKeyOnce(),
    honoBuiltin(),
    honoJoseBatteries(),
    ittyJose(),
  ],
};
export default scenario;
