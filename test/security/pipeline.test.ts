import { describe, expect, it } from 'vitest';
import { ApiKey, Controller, createApp, Get, key_present, Scopes, Secured } from '../../src/index.ts';
import { createProviderKeys, mintInternalToken, mintProviderToken } from '../../src/testing/index.ts';
import { bearer, captureLogger, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const KEY = 'pipeline-api-key';
const keys = await createProviderKeys('ES256');
const PARTNER = 'https://partner.example/';

@Controller('/pipe')
class PipelineController {
  @Get('/both')
  @ApiKey()
  @Scopes('read:patient')
  @Secured(key_present('patient_id'))
  both() {
    return { ok: true };
  }

  @Get('/partner-only')
  @Secured(undefined, { issuers: ['partner'] })
  partnerOnly() {
    return { ok: true };
  }
}

const { app } = secureApp(
  [PipelineController],
  { ACCEPTED_API_KEY: KEY },
  {
    jwt: { issuers: [{ name: 'partner', issuer: PARTNER, jwks: keys.jwks, audience: 'api' }] },
  },
);
const internal = (scopes: string[], metadata: Record<string, unknown> = { patient_id: 'p1' }) =>
  mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes, metadata });

describe('the order of checks: @ApiKey, bearer JWT, @Scopes, @Secured', () => {
  it.each([
    ['no key, valid token', async () => bearer(await internal(['read:patient'])), 401, 'No API key supplied'],
    [
      'wrong key, valid token',
      async () => ({ 'x-api-key': 'nope', ...bearer(await internal(['read:patient'])) }),
      403,
      'Invalid API key supplied',
    ],
    ['key, no token', async () => ({ 'x-api-key': KEY }), 401, 'Not authenticated'],
    ['key, bad token', async () => ({ 'x-api-key': KEY, ...bearer('x.y.z') }), 403, 'Could not validate credentials'],
    [
      'key, token without the scope',
      async () => ({ 'x-api-key': KEY, ...bearer(await internal(['other'])) }),
      403,
      'Not enough permissions',
    ],
    ['key, scope, rule fails', async () => ({ 'x-api-key': KEY, ...bearer(await internal(['read:patient'], {})) }), 403, 'Forbidden'],
  ] as const)('%s -> %s %s', async (_name, headers, status, message) => {
    const res = await app.fetch(req('/pipe/both', await headers()));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ message });
  });

  it('answers 200 when everything holds, with an auth phase in Server-Timing', async () => {
    const res = await app.fetch(req('/pipe/both', { 'x-api-key': KEY, ...bearer(await internal(['read:patient'])) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/auth;dur=/);
  });
});

describe('@Secured(rule, { issuers })', () => {
  it('lets the named issuer in and refuses the others with 403', async () => {
    const partner = await mintProviderToken(keys, { issuer: PARTNER, audience: 'api' });
    expect((await app.fetch(req('/pipe/partner-only', bearer(partner)))).status).toBe(200);
    const res = await app.fetch(req('/pipe/partner-only', bearer(await internal(['read:patient']))));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Could not validate credentials' });
  });

  it('refuses at createApp an issuer name nobody defined', () => {
    @Controller('/typo')
    class Typo {
      @Get('/')
      @Secured(undefined, { issuers: ['parnter'] })
      get() {}
    }
    expect(() =>
      createApp({
        env: { ENVIRONMENT: 'TEST', HS_KEY, PROXY_URL: 'http://x' },
        testing: true,
        controllers: [Typo],
        logger: captureLogger(),
      }),
    ).toThrow(/issuer "parnter" is not one of/);
  });

  it('refuses at createApp a known issuer name that is not configured', () => {
    @Controller('/unconfigured')
    class Unconfigured {
      @Get('/')
      @Secured(undefined, { issuers: ['auth-provider'] })
      get() {}
    }
    expect(() =>
      createApp({
        env: { ENVIRONMENT: 'TEST', HS_KEY, PROXY_URL: 'http://x' },
        testing: true,
        controllers: [Unconfigured],
        logger: captureLogger(),
      }),
    ).toThrow(/issuer "auth-provider" is not configured/);
  });
});
