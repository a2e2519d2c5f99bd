import { afterAll, expect, it } from 'vitest';
import { createProviderKeys, mintInternalToken, mintProviderToken } from '../../../src/testing/index.ts';
import { type JwksServer, startJwksServer } from '../../../src/testing/node.ts';
import type { TargetRef } from '../case.ts';
import { targetEnv } from '../env.ts';

// A real JWKS endpoint on loopback for the auth-provider issuer. Started when this file is imported
// (before the suite copies targetEnv to start the targets), so every target verifies through it.
const keys = await createProviderKeys('RS256');
const jwks: JwksServer = await startJwksServer(keys.jwks);
targetEnv.AUTH_PROVIDER_DOMAIN = jwks.url;
targetEnv.AUTH_PROVIDER_JWKS_URL = jwks.jwksUrl;
let users = 0;

const hsIssuer = () => `${targetEnv.PROXY_URL.replace(/\/+$/, '')}/`;
const internal = (opts: { scopes?: string[]; metadata?: Record<string, unknown>; expiresIn?: number } = {}) =>
  mintInternalToken({ key: targetEnv.HS_KEY, issuer: hsIssuer(), sub: 'staff-1', ...opts });
const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function expectStatus(res: Response, status: number, message?: string) {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  if (message !== undefined) expect(JSON.parse(body)).toEqual({ message });
}

/** The security battery (API key, bearer JWT, scopes, rules) as any client sees it, on every runtime. */
export default function securityCases(target: TargetRef): void {
  users++;
  afterAll(async () => {
    // one server for every target: the last target's cases close it
    if (--users === 0) await jwks.close();
  });

  it('@ApiKey: 401 without the key, 403 with a wrong one, 200 with the right one', async () => {
    await expectStatus(await target().fetch('/secure/key'), 401, 'No API key supplied');
    await expectStatus(await target().fetch('/secure/key', { headers: { 'x-api-key': 'wrong' } }), 403, 'Invalid API key supplied');
    await expectStatus(await target().fetch('/secure/key', { headers: { 'x-api-key': targetEnv.ACCEPTED_API_KEY } }), 200);
  });

  it('bearer JWT: 401 without a token, 403 for a bad or expired one, 200 for a valid HS256 token', async () => {
    await expectStatus(await target().fetch('/secure/scoped'), 401);
    await expectStatus(await target().fetch('/secure/scoped', auth('not.a.token')), 403, 'Could not validate credentials');
    await expectStatus(
      await target().fetch('/secure/scoped', auth(await internal({ scopes: ['read:patient'], expiresIn: -60 }))),
      403,
      'Could not validate credentials',
    );
    await expectStatus(await target().fetch('/secure/scoped', auth(await internal({ scopes: ['read:patient'] }))), 200);
  });

  it('@Scopes: 403 "Not enough permissions" without the scope', async () => {
    await expectStatus(await target().fetch('/secure/scoped', auth(await internal({ scopes: ['other'] }))), 403, 'Not enough permissions');
  });

  it('@Secured rule: the patient themself passes through match_keys, another patient gets 403 Forbidden', async () => {
    const patient = await internal({ metadata: { patient_id: 'p-1' } });
    await expectStatus(await target().fetch('/secure/patients/p-1', auth(patient)), 200);
    await expectStatus(await target().fetch('/secure/patients/p-2', auth(patient)), 403, 'Forbidden');
  });

  it('verifies an RS256 token against the loopback JWKS endpoint and gives @User its user id', async () => {
    const token = await mintProviderToken(keys, {
      issuer: jwks.url,
      audience: targetEnv.AUTH_PROVIDER_AUDIENCE,
      sub: 'auth0|u1',
      scopes: ['read:patient'],
    });
    const res = await target().fetch('/secure/me', auth(token));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ user_id: 'auth0|u1', scopes: ['read:patient'] });
    const other = await createProviderKeys('RS256', keys.kid);
    const forged = await mintProviderToken(other, { issuer: jwks.url, audience: targetEnv.AUTH_PROVIDER_AUDIENCE });
    await expectStatus(await target().fetch('/secure/me', auth(forged)), 403, 'Could not validate credentials');
  });

  it('answers 503 when the key set cannot be fetched for an unknown kid, while cached keys keep verifying (an outage of the provider is not a bad token)', async () => {
    const provider = (k: Awaited<ReturnType<typeof createProviderKeys>>) =>
      mintProviderToken(k, { issuer: jwks.url, audience: targetEnv.AUTH_PROVIDER_AUDIENCE, sub: 'auth0|u2' });
    // this target fetched the key set in the case above; now the endpoint breaks
    jwks.mode = 'error';
    try {
      const rotated = await createProviderKeys('RS256', `rotated-${target().name}`);
      await expectStatus(await target().fetch('/secure/me', auth(await provider(rotated))), 503, 'Could not fetch signing keys');
      await expectStatus(await target().fetch('/secure/me', auth(await provider(keys))), 200);
    } finally {
      jwks.mode = 'ok';
    }
  });

  it('refuses alg none in any letter case with 403', async () => {
    const segment = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const claims = segment({ iss: hsIssuer(), sub: 'staff-1', scope: 'read:patient', exp: Math.floor(Date.now() / 1000) + 60 });
    for (const alg of ['none', 'NONE', 'nOnE']) {
      await expectStatus(
        await target().fetch('/secure/scoped', auth(`${segment({ alg, typ: 'JWT' })}.${claims}.`)),
        403,
        'Could not validate credentials',
      );
    }
  });

  it('lets a rule and @Body share one parsed body: the patient themself 201, a body naming someone else 403 (the stream can be read only once)', async () => {
    const patient = auth(await internal({ metadata: { patient_id: 'p-7' } }));
    const send = (body: unknown) =>
      target().fetch('/secure/messages', {
        method: 'POST',
        headers: { ...patient.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await send({ patient_id: 'p-7', text: 'hello' });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(await ok.json()).toEqual({ patient_id: 'p-7', text: 'hello' });
    await expectStatus(await send({ patient_id: 'p-8', text: 'hello' }), 403, 'Forbidden');
    // the rule passes, then @Body's schema still decides
    expect((await send({ patient_id: 'p-7', text: '' })).status).toBe(422);
  });
}
