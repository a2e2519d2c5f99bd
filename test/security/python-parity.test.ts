import { describe, expect, it } from 'vitest';
import {
  AuthMissingError,
  argument_present,
  Controller,
  createApp,
  DatabaseConnectionError,
  DatabaseRetryError,
  DatabaseTimeoutError,
  Deprecated,
  ERROR_CODES,
  Get,
  HttpError,
  match_keys,
  not_,
  or_,
  Param,
  Query,
  Secured,
  ServiceUnavailableError,
  ShuttingDownError,
  scopes_present,
  toDatabaseError,
} from '../../src/index.ts';
import { createProviderKeys, mintInternalToken, mintProviderToken, signRawHs } from '../../src/testing/index.ts';
import { bearer, captureLogger, expectJson, HS_ISSUER, HS_KEY, PROXY_URL, req, secureApp } from './helpers.ts';

/** Behaviour a team porting a fastapi-batteries-included service relies on, seen over HTTP. */
@Controller('/clinician')
class ClinicianController {
  @Get('/locations/:location_id')
  @Secured(match_keys({ location_id: 'location_ids' }))
  location(@Param('location_id') id: string) {
    return { id };
  }

  @Get('/compact')
  @Secured(argument_present('compact', 'true'))
  compact(@Query('compact') compact: string) {
    return { compact };
  }

  @Get('/scoped')
  @Secured(scopes_present('read:patient', 'write:patient'))
  scoped() {
    return {};
  }

  @Get('/either')
  @Secured(or_(scopes_present('read:a'), scopes_present('read:b')))
  either() {
    return {};
  }

  @Get('/not-admin')
  @Secured(not_(scopes_present('admin')))
  notAdmin() {
    return {};
  }

  @Get('/down')
  down() {
    throw new ServiceUnavailableError('Upstream unavailable');
  }

  @Get('/conflict')
  conflict() {
    throw new HttpError(409, 'Already there', 'DUPLICATE_RESOURCE');
  }
}

@Controller('/route')
class DeprecatedController {
  @Get('/deprecated')
  @Deprecated({ supersededBy: 'GET /route/replacement' })
  old() {
    return { old: true };
  }

  @Get('/replacement')
  replacement() {
    return { old: false };
  }
}

const internal = (metadata: Record<string, unknown> = {}, scopes: string[] = []) =>
  mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, metadata, scopes });

describe('rules as the Python package evaluates them, on routes', () => {
  const { app } = secureApp([ClinicianController]);

  it("match_keys: a list claim holds when the path value is in it (a clinician's locations)", async () => {
    // the internal issuer turns metadata.locations into location_ids, as the Python parser did
    const t = await internal({ locations: [{ id: 'L1' }, { id: 'L2' }] });
    expect(await expectJson(await app.fetch(req('/clinician/locations/L2', bearer(t))))).toEqual({ status: 200, body: { id: 'L2' } });
    expect(await expectJson(await app.fetch(req('/clinician/locations/L3', bearer(t))))).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
  });

  it('match_keys: a dict claim never matches, a missing claim neither (a denial, not a crashed rule)', async () => {
    const { app, logger } = secureApp([ClinicianController]);
    const dict = await internal({ location_ids: { L1: true } });
    expect((await app.fetch(req('/clinician/locations/L1', bearer(dict)))).status).toBe(403);
    expect((await app.fetch(req('/clinician/locations/L1', bearer(await internal())))).status).toBe(403);
    const verdicts = logger.lines.filter((l) => l.message.startsWith('security rule'));
    // a rule that crashed would also answer 403, but log `security rule failed`
    expect(verdicts.map((l) => l.message)).toEqual(['security rule denied the request', 'security rule denied the request']);
    // each denial can be matched to its response by the request id
    expect(verdicts.map((l) => typeof (l.fields as { requestId?: unknown } | undefined)?.requestId)).toEqual(['string', 'string']);
  });

  it('argument_present compares ignoring case (?compact=TRUE satisfies argument_present("compact", "true"))', async () => {
    const t = await internal();
    expect(await expectJson(await app.fetch(req('/clinician/compact?compact=TRUE', bearer(t))))).toEqual({
      status: 200,
      body: { compact: 'TRUE' },
    });
    expect((await app.fetch(req('/clinician/compact?compact=no', bearer(t)))).status).toBe(403);
    expect((await app.fetch(req('/clinician/compact', bearer(t)))).status).toBe(403);
  });
});

describe('the log lines operators rely on', () => {
  it('scopes_present used as a @Secured rule logs the missing scopes, as @Scopes does', async () => {
    const { app, logger } = secureApp([ClinicianController]);
    const res = await app.fetch(req('/clinician/scoped', bearer(await internal({}, ['read:patient']))));
    expect(res.status).toBe(403);
    const line = logger.lines.find((l) => l.message.startsWith('missing required scopes'));
    expect(line?.message).toBe("missing required scopes: ['write:patient']");
    expect(line?.level).toBe('warn');
    expect(line?.fields).toMatchObject({ route: '/clinician/scoped', requestId: res.headers.get('x-request-id') });
  });

  it('scopes_present logs nothing when the route lets the request through (or_, not_), as the Python tests assert', async () => {
    const { app, logger } = secureApp([ClinicianController]);
    expect((await app.fetch(req('/clinician/either', bearer(await internal({}, ['read:b']))))).status).toBe(200);
    expect((await app.fetch(req('/clinician/not-admin', bearer(await internal({}, ['read:a']))))).status).toBe(200);
    expect(logger.lines.filter((l) => l.level !== 'debug' && l.level !== 'info')).toEqual([]);

    // denied: the scopes every branch missed are named once
    const res = await app.fetch(req('/clinician/either', bearer(await internal({}, ['other']))));
    expect(res.status).toBe(403);
    expect(logger.lines.filter((l) => l.message.startsWith('missing required scopes')).map((l) => [l.level, l.message])).toEqual([
      ['warn', "missing required scopes: ['read:a', 'read:b']"],
    ]);
    // not_ denying because the scope is present: no scope is missing, so no such line
    logger.lines.length = 0;
    expect((await app.fetch(req('/clinician/not-admin', bearer(await internal({}, ['admin']))))).status).toBe(403);
    expect(logger.lines.filter((l) => l.message.startsWith('missing required scopes'))).toEqual([]);
  });

  it('a 5xx HttpError logs its stack like an unhandled error; a 4xx does not', async () => {
    const { app, logger } = secureApp([ClinicianController]);
    const res = await app.fetch(req('/clinician/down'));
    expect(await expectJson(res)).toEqual({ status: 503, body: { message: 'Upstream unavailable' } });
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.message).toBe('Upstream unavailable');
    expect(line?.fields?.error).toBe('ServiceUnavailableError');
    expect(String(line?.fields?.stack)).toMatch(/ServiceUnavailableError: Upstream unavailable\n\s+at /);

    logger.lines.length = 0;
    expect((await app.fetch(req('/clinician/conflict'))).status).toBe(409);
    expect(logger.lines.filter((l) => l.level === 'error' || l.fields?.stack !== undefined)).toEqual([]);
  });

  it('each call of a @Deprecated route logs a warning naming the route and its successor', async () => {
    const logger = captureLogger();
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, docs: false, controllers: [DeprecatedController], logger });
    for (let i = 0; i < 2; i++) expect((await app.fetch(req('/route/deprecated'))).status).toBe(200);
    expect((await app.fetch(req('/route/replacement'))).status).toBe(200);
    const warnings = logger.lines.filter((l) => l.message.includes('is deprecated'));
    expect(warnings.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'Endpoint /route/deprecated is deprecated, use GET /route/replacement'],
      ['warn', 'Endpoint /route/deprecated is deprecated, use GET /route/replacement'],
    ]);
  });
});

describe('JWT claims python-jose refused', () => {
  const { app, logger } = secureApp([ClinicianController]);

  it.each([
    ['a numeric sub', { sub: 42 }, 'sub is not a string'],
    ['an object sub', { sub: { id: 'x' } }, 'sub is not a string'],
    ['a numeric jti', { sub: 'u', jti: 7 }, 'jti is not a string'],
  ])('refuses %s with 403 and logs why', async (_name, claims, reason) => {
    const payload = JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60, ...claims });
    const t = await signRawHs('{"alg":"HS256","typ":"JWT"}', payload, HS_KEY);
    expect(await expectJson(await app.fetch(req('/clinician/compact?compact=true', bearer(t))))).toEqual({
      status: 403,
      body: { message: 'Could not validate credentials' },
    });
    expect(logger.lines.some((l) => l.message === 'JWT rejected' && l.fields?.reason === reason)).toBe(true);
  });

  it('accepts string sub and jti', async () => {
    const payload = JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60, sub: 'u', jti: 'j-1' });
    const t = await signRawHs('{"alg":"HS256","typ":"JWT"}', payload, HS_KEY);
    expect((await app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(200);
  });
});

describe('a key-set token without kid', () => {
  const issuer = 'https://login.example.org/';
  const appWith = (keys: object[]) =>
    secureApp([ClinicianController], {
      HS_KEY: '',
      PROXY_URL: '',
      AUTH_PROVIDER_DOMAIN: 'login.example.org',
      AUTH_PROVIDER_AUDIENCE: 'api',
      AUTH_PROVIDER_JWKS_TESTING: JSON.stringify({ keys }),
    });

  it('is accepted when exactly one key of the set fits, refused (403, logged) when several do', async () => {
    const a = await createProviderKeys('RS256');
    const b = await createProviderKeys('RS256');
    const noKid = ({ kid, ...jwk }: { kid?: string }) => jwk;
    const t = await mintProviderToken({ ...a, kid: undefined as unknown as string }, { issuer, audience: 'api' });
    expect(JSON.parse(atob(t.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).kid).toBeUndefined();

    const one = appWith([noKid(a.jwks.keys[0])]);
    expect((await one.app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(200);

    const two = appWith([noKid(b.jwks.keys[0]), noKid(a.jwks.keys[0])]);
    expect((await two.app.fetch(req('/clinician/compact?compact=true', bearer(t)))).status).toBe(403);
    expect(two.logger.text()).toContain('ERR_JWKS_MULTIPLE_MATCHING_KEYS');
  });
});

describe('errors keyed by class', () => {
  it('a missing bearer token is an AuthMissingError, so app.onError(AuthMissingError) runs (and WWW-Authenticate stays)', async () => {
    const { app } = secureApp([ClinicianController]);
    const plain = await app.fetch(req('/clinician/scoped'));
    expect(plain.status).toBe(401);
    expect(plain.headers.get('www-authenticate')).toBe('Bearer');
    expect(await plain.json()).toEqual({ message: 'Not authenticated' });

    app.onError(AuthMissingError, (error) => new Response(JSON.stringify({ login: true, code: error.code }), { status: 401 }));
    expect(await expectJson(await app.fetch(req('/clinician/scoped')))).toEqual({
      status: 401,
      body: { login: true, code: 'AUTH_MISSING' },
    });
  });

  it('database timeout and retry are ServiceUnavailableError subclasses with unchanged messages, statuses and headers', () => {
    const timeout = toDatabaseError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
    expect(timeout).toBeInstanceOf(DatabaseTimeoutError);
    expect(timeout).toBeInstanceOf(ServiceUnavailableError);
    expect([timeout.status, timeout.message, timeout.code]).toEqual([503, 'Database query timed out', 'DB_TIMEOUT']);

    const retry = toDatabaseError(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    expect(retry).toBeInstanceOf(DatabaseRetryError);
    expect(retry).toBeInstanceOf(ServiceUnavailableError);
    expect([retry.status, retry.message, retry.headers]).toEqual([
      503,
      'Database transaction conflict: retry the request',
      { 'retry-after': '1' },
    ]);
    expect(toDatabaseError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(DatabaseConnectionError);
  });

  it('"shutting down" is a ShuttingDownError (a ServiceUnavailableError) that app.onError can key on', async () => {
    const { app } = secureApp([ClinicianController]);
    await app.close();
    expect(await expectJson(await app.fetch(req('/clinician/down')))).toEqual({
      status: 503,
      body: { message: 'Service is shutting down' },
    });
    const seen: string[] = [];
    app.onError(ServiceUnavailableError, (error) => {
      seen.push(`${error.constructor.name} ${error.code}`);
      return error;
    });
    expect((await app.fetch(req('/clinician/down'))).status).toBe(503);
    expect(seen).toEqual(['ShuttingDownError SHUTTING_DOWN']);
    expect(new ShuttingDownError()).toBeInstanceOf(ServiceUnavailableError);
  });

  it('every code the framework raises is one of ERROR_CODES (a typed union)', async () => {
    const { app } = secureApp([ClinicianController], { ACCEPTED_API_KEY: 'k' });
    const codes = new Set<string>();
    app.onError(HttpError, (error) => {
      codes.add(error.code);
      return error;
    });
    await app.fetch(req('/clinician/scoped'));
    await app.fetch(req('/clinician/scoped', bearer('garbage')));
    await app.fetch(req('/clinician/scoped', bearer(await internal())));
    await app.fetch(req('/clinician/down'));
    await app.fetch(req('/nowhere'));
    await app.fetch(req('/clinician/down', {}, { method: 'DELETE' }));
    expect([...codes].sort()).toEqual([
      'AUTH_MISSING',
      'FORBIDDEN',
      'INVALID_CREDENTIALS',
      'METHOD_NOT_ALLOWED',
      'NOT_FOUND',
      'SERVICE_UNAVAILABLE',
    ]);
    for (const code of codes) expect(ERROR_CODES).toContain(code);
  });

  it("every exported error class's code is one of ERROR_CODES, and the 503 classes have distinct codes", async () => {
    const exported = Object.entries(await import('../../src/index.ts')).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof HttpError,
    ) as [string, new (...args: unknown[]) => HttpError][];
    expect(exported.length).toBeGreaterThanOrEqual(20);
    const codeOf = new Map(exported.map(([name, Class]) => [name, new Class('x').code]));
    for (const [name, code] of codeOf) expect(ERROR_CODES, `${name}.code`).toContain(code);
    expect(codeOf.get('KeysUnavailableError')).toBe('KEYS_UNAVAILABLE');
    expect(codeOf.get('DatabaseConnectionError')).toBe('DB_CONNECTION');
    expect(codeOf.get('ServiceUnavailableError')).toBe('SERVICE_UNAVAILABLE');
  });

  it('a misspelt framework code does not compile (tsc checks these lines; an unused @ts-expect-error fails typecheck)', () => {
    const describeCode = (error: ServiceUnavailableError): string => {
      switch (error.code) {
        case 'DB_TIMEOUT':
          return 'timeout';
        // @ts-expect-error 'DB_TIMOUT' is not an ErrorCode
        case 'DB_TIMOUT':
          return 'never';
        default:
          return 'other';
      }
    };
    expect(describeCode(new DatabaseTimeoutError())).toBe('timeout');
    // @ts-expect-error a comparison with a code that does not exist has no overlap
    expect(new DatabaseConnectionError().code === 'DB_CONECTION').toBe(false);
    // your own codes go through the base class, whose code is any string
    expect(new HttpError(418, "I'm a teapot", 'TEAPOT').code).toBe('TEAPOT');
  });
});

describe('X-Request-ID correlation', () => {
  const { app } = secureApp([ClinicianController]);
  const idOf = async (id: string) => (await app.fetch(req('/clinician/down', { 'x-request-id': id }))).headers.get('x-request-id');

  it.each([
    'abc-123_X=',
    'dGhpcyBpcyBiYXNlNjQ+/w==',
    'trace:1.2/3',
    'a'.repeat(255),
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ])('keeps %s', async (id) => {
    expect(await idOf(id)).toBe(id);
  });

  it.each(['a b', 'a\tb', 'a"b', 'a;b', 'é', 'a'.repeat(256), '<script>'])('replaces %j with a fresh UUID', async (id) => {
    expect(await idOf(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('replaces an id with CR/LF (a header that fetch would refuse is tested through requestIdFrom)', async () => {
    const { requestIdFrom } = await import('../../src/index.ts');
    const fake = { headers: { get: () => 'abc\r\nX-Evil: 1' } } as unknown as Request;
    expect(requestIdFrom(fake)).not.toContain('\n');
  });
});

void PROXY_URL;
