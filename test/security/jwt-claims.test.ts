import { describe, expect, it } from 'vitest';

import { bearer, expectJson, HS_ISSUER, req, secureApp } from './helpers.ts';
import { app, DENIED, internal, JwtController, now, raw, status } from './jwt-app.ts';

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
