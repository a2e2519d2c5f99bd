import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Controller,
  createApp,
  Get,
  Scopes,
  Secured,
  Token,
  type TokenData,
  User,
  type ValidatedUser,
} from '../../src/index.ts';
import { createProviderKeys, encodeSegment, mintInternalToken, mintProviderToken, signRawHs } from '../../src/testing/index.ts';
import { bearer, captureLogger, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const DENIED = { message: 'Could not validate credentials' };
let runs = 0;

@Controller('/jwt')
class JwtController {
  @Get('/secured')
  @Secured()
  secured(@Token() token: TokenData) {
    runs++;
    return { scopes: token.scopes, sub: token.claims.sub };
  }

  @Get('/scoped')
  @Scopes('read:patient')
  scoped() {
    return { ok: true };
  }

  @Get('/me')
  me(@User() user: ValidatedUser) {
    return { user_id: user.user_id, claims: user.token_data.claims };
  }
}

const { app, logger } = secureApp([JwtController]);
const now = () => Math.floor(Date.now() / 1000);
const internal = (extra: Parameters<typeof mintInternalToken>[0] extends infer O ? Partial<O> : never = {}) =>
  mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['read:patient'], ...extra });
const raw = (payload: Record<string, unknown> | string, header = '{"alg":"HS256","typ":"JWT"}') =>
  signRawHs(header, typeof payload === 'string' ? payload : JSON.stringify(payload), HS_KEY);

async function status(token: string, path = '/jwt/secured') {
  return expectJson(await app.fetch(req(path, bearer(token))));
}

describe('bearer JWT: what reaches the handler', () => {
  it('answers 200 with a valid internal token and gives @Token the scopes and claims', async () => {
    const res = await status(await internal({ sub: 'user:42' }));
    expect(res).toEqual({ status: 200, body: { scopes: ['read:patient'], sub: 'user:42' } });
  });

  it('flattens the metadata claim, turns locations into location_ids and keeps iss, sub and raw', async () => {
    const token = await internal({
      sub: 'user:7',
      metadata: { clinician_id: 'c-1', locations: [{ id: 'L1', name: 'Florence' }, { id: 'L2' }], can_edit_ews: true },
    });
    const res = await expectJson(await app.fetch(req('/jwt/me', bearer(token))));
    const claims = (res.body as { claims: Record<string, unknown> }).claims;
    expect(res.status).toBe(200);
    expect(claims).toMatchObject({ clinician_id: 'c-1', location_ids: ['L1', 'L2'], can_edit_ews: true, iss: HS_ISSUER, sub: 'user:7' });
  });

  it('gives claims.raw the whole verified payload, exactly as minted', async () => {
    const payload = {
      iss: HS_ISSUER,
      sub: 'user:7',
      exp: now() + 60,
      scope: 'read:patient',
      metadata: { clinician_id: 'c-1', locations: [{ id: 'L1' }] },
      extra: { nested: [1, 'two'] },
    };
    const res = await expectJson(await app.fetch(req('/jwt/me', bearer(await raw(payload)))));
    expect(res.status).toBe(200);
    expect((res.body as { claims: { raw: unknown } }).claims.raw).toEqual(payload);
  });

  it('accepts scopes as a space-separated string or an array of strings', async () => {
    const asArray = await raw({ iss: HS_ISSUER, sub: 'u', exp: now() + 60, scope: ['read:patient', 'x'] });
    expect((await status(asArray, '/jwt/scoped')).status).toBe(200);
    const asString = await raw({ iss: HS_ISSUER, sub: 'u', exp: now() + 60, scope: 'x read:patient' });
    expect((await status(asString, '/jwt/scoped')).status).toBe(200);
  });

  it.each([
    ['a number', 42],
    ['an object', { read: true }],
    ['a list with a number', ['read:patient', 1]],
    ['null', null],
  ])('refuses a token whose scopes are %s with 403', async (_name, scope) => {
    expect(await status(await raw({ iss: HS_ISSUER, sub: 'u', exp: now() + 60, scope }))).toEqual({ status: 403, body: DENIED });
  });
});

describe('bearer JWT: 401 when no bearer token comes', () => {
  it.each([
    ['no Authorization header', {}],
    ['Bearer with nothing after it', { authorization: 'Bearer' }],
    ['Bearer and spaces', { authorization: 'Bearer    ' }],
    ['a Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a Token scheme', { authorization: 'Token abc.def.ghi' }],
    ['a bare token', { authorization: 'abc.def.ghi' }],
  ])('answers 401 for %s', async (_name, headers) => {
    const before = runs;
    const res = await app.fetch(req('/jwt/secured', headers));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(runs).toBe(before);
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
    const before = runs;
    const token = await make();
    const res = await status(token);
    expect(res).toEqual({ status: 403, body: DENIED });
    expect(runs).toBe(before);
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
    expect(logger.lines.some((l) => l.message === 'JWT rejected' && typeof l.fields?.reason === 'string')).toBe(true);
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

describe('@User()', () => {
  it('gives the sub claim as user_id', async () => {
    const res = await expectJson(await app.fetch(req('/jwt/me', bearer(await internal({ sub: 'user:9' })))));
    expect(res.status).toBe(200);
    expect((res.body as { user_id: string }).user_id).toBe('user:9');
  });

  it('requires a valid JWT even without @Secured or @Scopes', async () => {
    expect((await app.fetch(req('/jwt/me'))).status).toBe(401);
    expect((await app.fetch(req('/jwt/me', bearer(await internal({ expiresIn: -10 }))))).status).toBe(403);
  });

  it('answers 403 "Not enough permissions" when no user id claim is present', async () => {
    const token = await raw({ iss: HS_ISSUER, exp: now() + 60 });
    const res = await expectJson(await app.fetch(req('/jwt/me', bearer(token))));
    expect(res).toEqual({ status: 403, body: { message: 'Not enough permissions' } });
  });

  it.each([
    ['an empty string', ''],
    ['a number', 42],
  ])('answers 403 "Not enough permissions" when the user id claim is %s', async (_name, clinicianId) => {
    const { app: clinicians } = secureApp([JwtController], { VALID_USER_ID_KEYS: 'clinician_id' });
    const token = await internal({ metadata: { clinician_id: clinicianId } });
    const res = await expectJson(await clinicians.fetch(req('/jwt/me', bearer(token))));
    expect(res).toEqual({ status: 403, body: { message: 'Not enough permissions' } });
  });

  it('uses VALID_USER_ID_KEYS in order, reading flattened metadata claims', async () => {
    const { app: clinicians } = secureApp([JwtController], { VALID_USER_ID_KEYS: 'clinician_id,patient_id' });
    const token = await internal({ sub: 'ignored', metadata: { patient_id: 'p-1', clinician_id: 'c-1' } });
    const res = await expectJson(await clinicians.fetch(req('/jwt/me', bearer(token))));
    expect((res.body as { user_id: string }).user_id).toBe('c-1');
    const noKey = await internal({ sub: 'ignored' });
    expect((await clinicians.fetch(req('/jwt/me', bearer(noKey)))).status).toBe(403);
  });
});

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
