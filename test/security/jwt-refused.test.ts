import { describe, expect, it } from 'vitest';
import { createProviderKeys, encodeSegment, mintInternalToken, mintProviderToken, signRawHs } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';
import { app, DENIED, handlerRuns, internal, JwtController, logger, now, raw, status } from './jwt-app.ts';

describe('bearer JWT: 401 when no bearer token comes', () => {
  it.each([
    ['no Authorization header', {}],
    ['Bearer with nothing after it', { authorization: 'Bearer' }],
    ['Bearer and spaces', { authorization: 'Bearer    ' }],
    ['a Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a Token scheme', { authorization: 'Token abc.def.ghi' }],
    ['a bare token', { authorization: 'abc.def.ghi' }],
  ])('answers 401 for %s', async (_name, headers) => {
    const before = handlerRuns();
    const res = await app.fetch(req('/jwt/secured', headers));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(handlerRuns()).toBe(before);
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', async (scheme) => {
    const res = await app.fetch(req('/jwt/secured', { authorization: `${scheme} ${await internal()}` }));
    expect(res.status).toBe(200);
  });

  it.each([
    ['a tab', '\t'],
    ['two spaces', '  '],
    ['a space and a tab', ' \t'],
  ])('treats %s between Bearer and the token like one space', async (_name, gap) => {
    expect((await app.fetch(req('/jwt/secured', { authorization: `Bearer${gap}${await internal()}` }))).status).toBe(200);
    expect((await app.fetch(req('/jwt/secured', { authorization: `Bearer${gap}` }))).status).toBe(401);
  });
});

describe('bearer JWT: 403 "Could not validate credentials"', () => {
  const cases: [string, () => Promise<string> | string][] = [
    ['two segments', () => 'abc.def'],
    ['four segments', async () => `${await internal()}.x`],
    ['bad base64url', () => 'ab$c.de!f.ghi'],
    ['a non-JSON header', () => `${encodeSegment('nope')}.${encodeSegment('{}')}.sig`],
    ['a payload that is not an object', () => raw('[1,2,3]')],
    ['a payload that is a string', () => raw('"hello"')],
    ['alg none', () => `${encodeSegment('{"alg":"none"}')}.${encodeSegment(JSON.stringify({ iss: HS_ISSUER, exp: now() + 60 }))}.`],
    ['alg NoNe', () => `${encodeSegment('{"alg":"NoNe"}')}.${encodeSegment(JSON.stringify({ iss: HS_ISSUER, exp: now() + 60 }))}.`],
    ['a tampered signature', async () => `${(await internal()).slice(0, -3)}AAA`],
    [
      'tampered claims',
      async () => {
        const [h, , s] = (await internal()).split('.');
        return `${h}.${encodeSegment(JSON.stringify({ iss: HS_ISSUER, sub: 'admin', exp: now() + 60, scope: 'read:patient admin' }))}.${s}`;
      },
    ],
    ['the wrong key', () => mintInternalToken({ key: 'another-key', issuer: HS_ISSUER })],
    ['an unknown issuer', () => mintInternalToken({ key: HS_KEY, issuer: 'https://evil.example/' })],
    ['an inherited-property issuer', () => raw({ iss: 'constructor', exp: now() + 60 })],
    ['__proto__ as issuer', () => raw({ iss: '__proto__', exp: now() + 60 })],
    ['no issuer', () => raw({ sub: 'u', exp: now() + 60 })],
    ['exp in the past', () => internal({ expiresIn: -10 })],
    ['nbf in the future', () => raw({ iss: HS_ISSUER, exp: now() + 600, nbf: now() + 300 })],
    ['no exp', () => internal({ expiresIn: null })],
    ['exp as a string', () => raw({ iss: HS_ISSUER, exp: String(now() + 60) })],
    ['exp 1e400 (Infinity)', () => raw(`{"iss":"${HS_ISSUER}","exp":1e400}`)],
    ['nbf -1e400', () => raw(`{"iss":"${HS_ISSUER}","exp":${now() + 60},"nbf":-1e400}`)],
    ['iat 1e400', () => raw(`{"iss":"${HS_ISSUER}","exp":${now() + 60},"iat":1e400}`)],
    ['a wrong audience', () => internal({ audience: 'someone-else' })],
    [
      'an RS256 token for the HS issuer',
      async () => {
        const keys = await createProviderKeys('RS256');
        return mintProviderToken(keys, { issuer: HS_ISSUER });
      },
    ],
    [
      'an ES256 token for the HS issuer',
      async () => {
        const keys = await createProviderKeys('ES256');
        return mintProviderToken(keys, { issuer: HS_ISSUER });
      },
    ],
    [
      'HS256 signed with the key but declared HS512',
      () => signRawHs('{"alg":"HS512"}', JSON.stringify({ iss: HS_ISSUER, exp: now() + 60 }), HS_KEY),
    ],
    ['a token over 8 KiB', () => internal({ claims: { pad: 'x'.repeat(9000) } })],
  ];

  it.each(cases)('answers 403 for %s and never runs the handler', async (_name, make) => {
    const before = handlerRuns();
    const token = await make();
    const res = await status(token);
    expect(res).toEqual({ status: 403, body: DENIED });
    expect(handlerRuns()).toBe(before);
    // the log says why, never with the token (nor its signature, the part that proves it)
    expect(logger.text()).not.toContain(token);
    const signature = token.split('.')[2];
    if (signature !== undefined && signature.length >= 8) expect(logger.text()).not.toContain(signature);
  });

  it('accepts a token with the internal audience', async () => {
    expect((await status(await internal({ audience: HS_ISSUER }))).status).toBe(200);
  });

  it('logs a reason for each refusal', async () => {
    logger.lines.length = 0;
    await status(await internal({ expiresIn: -10 }));
    expect(logger.lines.some((l) => l.message === 'Access attempted with invalid JWT' && typeof l.fields?.reason === 'string')).toBe(true);
  });

  it('accepts a token without exp when JWT_REQUIRE_EXP=false', async () => {
    const { app: lax } = secureApp([JwtController], { JWT_REQUIRE_EXP: 'false' });
    const res = await lax.fetch(req('/jwt/secured', bearer(await internal({ expiresIn: null }))));
    expect(res.status).toBe(200);
  });

  it('honours JWT_LEEWAY_SECONDS for a just-expired token', async () => {
    const token = await internal({ expiresIn: -5 });
    const { app: lenient } = secureApp([JwtController], { JWT_LEEWAY_SECONDS: '60', JWT_CACHE_TTL_SECONDS: '0' });
    expect((await lenient.fetch(req('/jwt/secured', bearer(token)))).status).toBe(200);
    expect((await status(token)).status).toBe(403);
  });

  it('refuses to start when VALID_JWT_ALGORITHMS leaves an issuer no usable algorithm', () => {
    const build = () => secureApp([JwtController], { VALID_JWT_ALGORITHMS: 'RS256' });
    expect(build).toThrow(/issuer internal: no algorithm/);
  });

  it('refuses HS256 tokens when VALID_JWT_ALGORITHMS narrows the internal issuer to HS512', async () => {
    const { app: strict } = secureApp([JwtController], { VALID_JWT_ALGORITHMS: 'HS512' });
    expect((await strict.fetch(req('/jwt/secured', bearer(await internal())))).status).toBe(403);
    expect((await strict.fetch(req('/jwt/secured', bearer(await internal({ alg: 'HS512' }))))).status).toBe(200);
  });
});
