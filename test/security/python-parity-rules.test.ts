import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/index.ts';
import { bearer, captureLogger, expectJson, req, secureApp } from './helpers.ts';
import { ClinicianController, DeprecatedController, internal } from './python-parity-app.ts';

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
    const line = logger.lines.find((l) => l.message.startsWith('JWT is missing required scopes'));
    expect(line?.message).toBe("JWT is missing required scopes: ['write:patient']");
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
    expect(logger.lines.filter((l) => l.message.startsWith('JWT is missing required scopes')).map((l) => [l.level, l.message])).toEqual([
      ['warn', "JWT is missing required scopes: ['read:a', 'read:b']"],
    ]);
    // not_ denying because the scope is present: no scope is missing, so no such line
    logger.lines.length = 0;
    expect((await app.fetch(req('/clinician/not-admin', bearer(await internal({}, ['admin']))))).status).toBe(403);
    expect(logger.lines.filter((l) => l.message.startsWith('JWT is missing required scopes'))).toEqual([]);
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
