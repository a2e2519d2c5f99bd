import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Controller, Get, Secured, Token, type TokenData } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken, type ProviderKeys, signRawHs } from '../../src/testing/index.ts';
import { type JwksServer, startJwksServer } from '../../src/testing/node.ts';
import { bearer, expectJson, req, secureApp } from './helpers.ts';

const METADATA = 'https://example.org/metadata';

@Controller('/provider')
class ProviderController {
  @Get('/')
  @Secured()
  get(@Token() token: TokenData) {
    return { scopes: token.scopes, claims: token.claims };
  }
}

let keys: ProviderKeys;
let server: JwksServer;

beforeAll(async () => {
  keys = await createProviderKeys('RS256');
  server = await startJwksServer(keys.jwks);
});
afterAll(() => server.close());
beforeEach(() => {
  server.mode = 'ok';
  server.jwks = keys.jwks;
});

/** A fresh app (fresh key-set state) against the loopback JWKS server; the token cache is off so every request verifies. */
function providerApp(env: Record<string, string> = {}) {
  return secureApp([ProviderController], {
    HS_KEY: '',
    PROXY_URL: '',
    AUTH_PROVIDER_DOMAIN: server.url,
    AUTH_PROVIDER_AUDIENCE: 'api',
    AUTH_PROVIDER_JWKS_URL: server.jwksUrl,
    AUTH_PROVIDER_METADATA: METADATA,
    JWKS_TIMEOUT_MS: '300',
    JWT_CACHE_TTL_SECONDS: '0',
    ...env,
  });
}
const token = (opts: Partial<Parameters<typeof mintProviderToken>[1]> = {}, k = keys) =>
  mintProviderToken(k, {
    issuer: server.url,
    audience: 'api',
    scopes: ['read:patient'],
    metadataKey: METADATA,
    metadata: { patient_id: 'p-1' },
    ...opts,
  });

describe('auth provider tokens through a real JWKS endpoint', () => {
  it('answers 200 and reads permissions and the AUTH_PROVIDER_METADATA claims', async () => {
    const { app } = providerApp();
    const res = await expectJson(await app.fetch(req('/provider/', bearer(await token()))));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scopes: ['read:patient'], claims: { patient_id: 'p-1', iss: server.url } });
  });

  it('serves from AUTH_PROVIDER_JWKS_TESTING without any fetch', async () => {
    const before = server.requests;
    const { app } = providerApp({ AUTH_PROVIDER_JWKS_URL: '', AUTH_PROVIDER_JWKS_TESTING: JSON.stringify(keys.jwks) });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    expect(server.requests).toBe(before);
  });

  it.each([
    ['a wrong audience', { audience: 'other' }],
    ['no audience', { audience: undefined }],
    ['an expired token', { expiresIn: -30 }],
  ])('answers 403 for %s', async (_name, opts) => {
    const { app } = providerApp();
    const res = await expectJson(await app.fetch(req('/provider/', bearer(await token(opts as object)))));
    expect(res).toEqual({ status: 403, body: { message: 'Could not validate credentials' } });
  });

  it('answers 403 for a token signed by another key with the same kid', async () => {
    const other = await createProviderKeys('RS256', keys.kid);
    const { app } = providerApp();
    expect((await app.fetch(req('/provider/', bearer(await token({}, other))))).status).toBe(403);
  });

  it('answers 403 for an HS256 token claiming the provider issuer', async () => {
    const { app } = providerApp();
    const hs = await signRawHs(
      '{"alg":"HS256"}',
      JSON.stringify({ iss: server.url, aud: 'api', exp: Math.floor(Date.now() / 1000) + 60 }),
      'guess',
    );
    expect((await app.fetch(req('/provider/', bearer(hs)))).status).toBe(403);
  });

  it('verifies ES256 keys too', async () => {
    const es = await createProviderKeys('ES256');
    server.jwks = { keys: [...keys.jwks.keys, ...es.jwks.keys] };
    const { app } = providerApp();
    expect((await app.fetch(req('/provider/', bearer(await token({}, es))))).status).toBe(200);
  });
});

describe('unknown kid', () => {
  it('a thousand random kids right after a fetch: at most one fetch, each 503 + Retry-After <= 5 s logged as a warning without a stack', async () => {
    // a long configured cooldown: the refetch for an unknown kid is still allowed every 5 s
    const { app, logger } = providerApp({ JWKS_COOLDOWN_SECONDS: '30' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    const before = server.requests;
    const statuses = new Set<number>();
    const retryAfter = new Set<string | null>();
    for (let batch = 0; batch < 10; batch++) {
      const tokens = await Promise.all(Array.from({ length: 100 }, () => token({ kid: crypto.randomUUID() })));
      const responses = await Promise.all(tokens.map((t) => app.fetch(req('/provider/', bearer(t)))));
      for (const r of responses) {
        statuses.add(r.status);
        if (r.status === 503) retryAfter.add(r.headers.get('retry-after'));
      }
    }
    // the key set was fetched a moment ago: no refetch yet, and the kid may be newer than that fetch
    expect([...statuses]).toEqual([503]);
    for (const value of retryAfter) expect(Number(value)).toBeGreaterThanOrEqual(1);
    for (const value of retryAfter) expect(Number(value)).toBeLessThanOrEqual(5);
    expect(server.requests - before).toBeLessThanOrEqual(1);
    expect(logger.text()).not.toContain('eyJ');
    // unauthenticated traffic must not drive error alerts: warnings, no stack
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    const answered = logger.lines.filter((l) => l.message === 'Could not fetch signing keys');
    expect(answered).toHaveLength(1000);
    for (const line of answered) {
      expect(line.level).toBe('warn');
      expect(line.fields?.stack).toBeUndefined();
      expect(line.fields?.code).toBe('KEYS_UNAVAILABLE');
    }
  });

  it('a burst of 1000 random kids over 2 s fetches the key set at most once per second (JWKS_COOLDOWN_SECONDS=1)', async () => {
    const { app } = providerApp({ JWKS_COOLDOWN_SECONDS: '1' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    const before = server.requests;
    const started = Date.now();
    const statuses = new Set<number>();
    for (let batch = 0; batch < 10; batch++) {
      const tokens = await Promise.all(Array.from({ length: 100 }, () => token({ kid: crypto.randomUUID() })));
      for (const r of await Promise.all(tokens.map((t) => app.fetch(req('/provider/', bearer(t)))))) statuses.add(r.status);
      await new Promise((r) => setTimeout(r, 220));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(2);
    const fetches = server.requests - before;
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(Math.ceil(seconds));
    // a kid checked against a fetch made for it is refused (403); one that had to wait, 503
    for (const status of statuses) expect([403, 503]).toContain(status);
  });

  it('after the interval a random kid causes one refetch and then 403 (the key set fetched for it lacks the kid); the next ones 503 again', async () => {
    const { app } = providerApp({ JWKS_COOLDOWN_SECONDS: '1' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const before = server.requests;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => token({ kid: crypto.randomUUID() })));
    const first = await Promise.all(tokens.map((t) => app.fetch(req('/provider/', bearer(t)))));
    expect(new Set(first.map((r) => r.status))).toEqual(new Set([403]));
    expect(server.requests - before).toBe(1);
    const again = await app.fetch(req('/provider/', bearer(await token({ kid: crypto.randomUUID() }))));
    expect(again.status).toBe(503);
    expect(again.headers.get('retry-after')).toBe('1');
    expect(server.requests - before).toBe(1);
  });

  it('an unknown kid checked against a key set fetched for that very request is a 403 (cache expired, refetch interval running)', async () => {
    const { app } = providerApp({ JWKS_CACHE_EXPIRY_SECONDS: '0' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    const before = server.requests;
    expect((await app.fetch(req('/provider/', bearer(await token({ kid: crypto.randomUUID() }))))).status).toBe(403);
    expect(server.requests - before).toBe(1);
  });

  it('a key published after the last fetch is picked up within 5 s even with JWKS_COOLDOWN_SECONDS=30 (503 + Retry-After, then 200, never a 403)', async () => {
    const { app } = providerApp({ JWKS_COOLDOWN_SECONDS: '30' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    const rotated = await createProviderKeys('RS256');
    server.jwks = { keys: [...keys.jwks.keys, ...rotated.jwks.keys] };
    const t = await token({}, rotated);
    const early = await app.fetch(req('/provider/', bearer(t)));
    expect(await expectJson(early.clone())).toEqual({ status: 503, body: { message: 'Could not fetch signing keys' } });
    const wait = Number(early.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, wait * 1000 + 50));
    expect((await app.fetch(req('/provider/', bearer(t)))).status).toBe(200);
  }, 10_000);

  it('refetches once for a rotated key when no interval is set and then verifies it', async () => {
    const { app } = providerApp({ JWKS_COOLDOWN_SECONDS: '0' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    const rotated = await createProviderKeys('RS256');
    server.jwks = { keys: [...keys.jwks.keys, ...rotated.jwks.keys] };
    const before = server.requests;
    expect((await app.fetch(req('/provider/', bearer(await token({}, rotated))))).status).toBe(200);
    expect(server.requests - before).toBe(1);
  });
});

describe("JWKS endpoint failures: 503 for the provider's outage, never 403 for a good token", () => {
  it.each([
    ['answers 500', 'error'],
    ['returns garbage', 'garbage'],
    ['returns JSON that is not a key set', 'not-a-key-set'],
    ['resets the connection', 'reset'],
    ['is slower than its timeout', 'slow'],
  ] as const)('answers 503 with a fixed message when the endpoint %s', async (_name, mode) => {
    server.mode = mode;
    server.slowMs = 3000;
    const { app, logger } = providerApp();
    const t = await token();
    const res = await expectJson(await app.fetch(req('/provider/', bearer(t))));
    expect(res).toEqual({ status: 503, body: { message: 'Could not fetch signing keys' } });
    expect(logger.text()).not.toContain(t);
    // an endpoint that is really down is our failure: an error with a stack
    const line = logger.lines.find((l) => l.message === 'Could not fetch signing keys');
    expect(line?.level).toBe('error');
    expect(line?.fields?.stack).toEqual(expect.stringContaining('KeysUnavailableError'));
  });

  it.each(['error', 'garbage', 'slow'] as const)(
    'keeps verifying with keys fetched before while the endpoint is %s, without hammering it',
    async (mode) => {
      server.slowMs = 3000;
      const { app } = providerApp({ JWKS_CACHE_EXPIRY_SECONDS: '0' });
      const t = await token();
      expect((await app.fetch(req('/provider/', bearer(t)))).status).toBe(200);
      server.mode = mode;
      const before = server.requests;
      for (let i = 0; i < 20; i++) expect((await app.fetch(req('/provider/', bearer(t)))).status).toBe(200);
      expect(server.requests - before).toBeLessThanOrEqual(1);
    },
  );

  it('answers 503 (not 403) for a kid the cached keys lack while the endpoint is down: it may be a rotated key', async () => {
    const { app } = providerApp({ JWKS_COOLDOWN_SECONDS: '0' });
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
    server.mode = 'error';
    const rotated = await createProviderKeys('RS256', 'rotated-kid');
    const t = await token({}, rotated);
    expect(await expectJson(await app.fetch(req('/provider/', bearer(t))))).toEqual({
      status: 503,
      body: { message: 'Could not fetch signing keys' },
    });
    // the key the cache has keeps verifying
    expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(200);
  });

  it('refuses a token over 8 KiB before any key is fetched or any crypto runs', async () => {
    const { app } = providerApp();
    const before = server.requests;
    const huge = await token({ metadata: { pad: 'x'.repeat(9000) } });
    expect(await expectJson(await app.fetch(req('/provider/', bearer(huge))))).toEqual({
      status: 403,
      body: { message: 'Could not validate credentials' },
    });
    expect(server.requests).toBe(before);
  });

  it('never answers 200 or 500 for a token whose key was never fetched', async () => {
    server.mode = 'garbage';
    const { app } = providerApp();
    for (let i = 0; i < 5; i++) expect((await app.fetch(req('/provider/', bearer(await token())))).status).toBe(503);
  });
});

describe('custom login domain (AUTH_PROVIDER_CUSTOM_DOMAIN)', () => {
  it('verifies HS tokens signed with AUTH_PROVIDER_HS_KEY and refuses others', async () => {
    const { app } = secureApp([ProviderController], {
      AUTH_PROVIDER_CUSTOM_DOMAIN: 'login.example.org',
      AUTH_PROVIDER_HS_KEY: 'login-secret',
    });
    // as in the Python package: audience HS_ISSUER (PROXY_URL + '/'), scopes in `scope`
    const claims = JSON.stringify({
      iss: 'https://login.example.org/',
      aud: 'http://localhost/',
      sub: 'u',
      exp: Math.floor(Date.now() / 1000) + 60,
      scope: 'a b',
    });
    const good = await signRawHs('{"alg":"HS256"}', claims, 'login-secret');
    const res = await expectJson(await app.fetch(req('/provider/', bearer(good))));
    expect(res.status).toBe(200);
    expect((res.body as { scopes: string[] }).scopes).toEqual(['a', 'b']);
    const bad = await signRawHs('{"alg":"HS256"}', claims, 'wrong');
    expect((await app.fetch(req('/provider/', bearer(bad)))).status).toBe(403);
  });
});
