import { describe, expect, it } from 'vitest';
import { InvalidCredentialsError } from '../../src/index.ts';
import { hmacKeys, type Issuer } from '../../src/security/jwt/issuers.ts';
import { JwtVerifier } from '../../src/security/jwt/verifier.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { HS_ISSUER, HS_KEY } from './helpers.ts';

const issuer: Issuer = {
  name: 'internal',
  iss: HS_ISSUER,
  key: hmacKeys(new TextEncoder().encode(HS_KEY)),
  algorithms: ['HS256'],
  audience: HS_ISSUER,
  requireAudience: false,
  scopeKey: 'scope',
  metadataKey: 'metadata',
  leewaySeconds: 0,
};

function verifier(opts: { size?: number; ttl?: number; leeway?: number } = {}) {
  let clock = Date.now();
  const v = new JwtVerifier(new Map([[HS_ISSUER, { ...issuer, leewaySeconds: opts.leeway ?? 0 }]]), {
    requireExp: true,
    cacheSize: opts.size ?? 10,
    cacheTtlSeconds: opts.ttl ?? 300,
    now: () => clock,
  });
  return { v, advance: (ms: number) => (clock += ms) };
}

describe('verified-token cache', () => {
  it('serves a repeated token from the cache', async () => {
    const { v } = verifier();
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
    expect(v.cacheSize).toBe(1);
  });

  it('never accepts a cached token after its exp, even with leeway and a long TTL', async () => {
    const { v, advance } = verifier({ ttl: 3600, leeway: 30 });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, expiresIn: 10 });
    await v.verify(token);
    advance(9_000);
    await expect(v.verify(token)).resolves.toBeDefined();
    advance(60_000);
    await expect(v.verify(token)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('re-verifies after the TTL', async () => {
    const { v, advance } = verifier({ ttl: 1 });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    const first = await v.verify(token);
    advance(1_500);
    const second = await v.verify(token);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it('is bounded (least recently used entries go first)', async () => {
    const { v } = verifier({ size: 3 });
    const tokens = await Promise.all([1, 2, 3, 4, 5].map((i) => mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, sub: `u${i}` })));
    for (const t of tokens) await v.verify(t);
    expect(v.cacheSize).toBe(3);
  });

  it('keeps a token in use while older unused ones are evicted', async () => {
    const { v } = verifier({ size: 4 });
    const [a, b, c, d, e] = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, sub: `u${i}` })),
    );
    for (const t of [a, b, c, d]) await v.verify(t);
    expect(v.cached(a)).toBeDefined();
    await v.verify(e);
    expect(v.cached(a)).toBeDefined();
    expect(v.cached(b)).toBeUndefined();
  });

  it('does not cache failures: a bad token is refused each time, a good one after it still passes', async () => {
    const { v } = verifier();
    const bad = await mintInternalToken({ key: 'wrong', issuer: HS_ISSUER });
    await expect(v.verify(bad)).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(v.verify(bad)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(v.cacheSize).toBe(0);
  });

  it('can be switched off (JWT_CACHE_TTL_SECONDS=0)', async () => {
    const { v } = verifier({ ttl: 0 });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    await v.verify(token);
    expect(v.cacheSize).toBe(0);
  });

  it('hands out frozen token data, so one request cannot change what the next one sees', async () => {
    const { v } = verifier();
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['a'] });
    const { data } = await v.verify(token);
    expect(Object.isFrozen(data.claims)).toBe(true);
    expect(() => (data.scopes as string[]).push('admin')).toThrow(TypeError);
  });
});
