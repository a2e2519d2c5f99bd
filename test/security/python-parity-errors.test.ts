import { describe, expect, it } from 'vitest';
import {
  AuthMissingError,
  DatabaseConnectionError,
  DatabaseRetryError,
  DatabaseTimeoutError,
  ERROR_CODES,
  HttpError,
  ServiceUnavailableError,
  ShuttingDownError,
  toDatabaseError,
} from '../../src/index.ts';
import { bearer, expectJson, req, secureApp } from './helpers.ts';
import { ClinicianController, internal } from './python-parity-app.ts';

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
