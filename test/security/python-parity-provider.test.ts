import { describe, expect, it } from 'vitest';
import { Controller, Get, Secured } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken, type ProviderKeys } from '../../src/testing/index.ts';
import { bearer, req, secureApp } from './helpers.ts';

@Controller('/provider')
class ProviderController {
  @Get('/')
  @Secured()
  get() {
    return { ok: true };
  }
}

/** An app whose auth provider is AUTH_PROVIDER_DOMAIN=`domain`, keys given inline. */
function providerApp(domain: string, keys: ProviderKeys, env: Record<string, string> = {}) {
  return secureApp([ProviderController], {
    AUTH_PROVIDER_DOMAIN: domain,
    AUTH_PROVIDER_AUDIENCE: 'api',
    AUTH_PROVIDER_JWKS_TESTING: JSON.stringify(keys.jwks),
    JWT_CACHE_TTL_SECONDS: '0',
    ...env,
  }).app;
}
const status = async (app: ReturnType<typeof providerApp>, token: string) => (await app.fetch(req('/provider/', bearer(token)))).status;

describe('AUTH_PROVIDER_DOMAIN is compared with iss as the Python package compared it', () => {
  it('a URL is matched verbatim: no trailing slash is added, and one the variable lacks is refused', async () => {
    const keys = await createProviderKeys('RS256');
    const app = providerApp('https://tenant.example', keys);
    expect(await status(app, await mintProviderToken(keys, { issuer: 'https://tenant.example', audience: 'api' }))).toBe(200);
    expect(await status(app, await mintProviderToken(keys, { issuer: 'https://tenant.example/', audience: 'api' }))).toBe(403);
  });

  it("a bare domain still stands for Auth0's https://<domain>/", async () => {
    const keys = await createProviderKeys('RS256');
    const app = providerApp('tenant.example', keys);
    expect(await status(app, await mintProviderToken(keys, { issuer: 'https://tenant.example/', audience: 'api' }))).toBe(200);
  });

  it('a provider token without aud is refused (deliberately stricter than python-jose 3.3)', async () => {
    const keys = await createProviderKeys('RS256');
    const app = providerApp('https://tenant.example/', keys);
    expect(await status(app, await mintProviderToken(keys, { issuer: 'https://tenant.example/' }))).toBe(403);
  });
});

describe('the default VALID_JWT_ALGORITHMS is the Python package list', () => {
  it('accepts ES512 provider tokens', async () => {
    const keys = await createProviderKeys('ES512');
    const app = providerApp('https://tenant.example/', keys);
    expect(await status(app, await mintProviderToken(keys, { issuer: 'https://tenant.example/', audience: 'api' }))).toBe(200);
  });

  it('refuses PS256 provider tokens unless VALID_JWT_ALGORITHMS lists it', async () => {
    const keys = await createProviderKeys('PS256');
    const token = await mintProviderToken(keys, { issuer: 'https://tenant.example/', audience: 'api' });
    expect(await status(providerApp('https://tenant.example/', keys), token)).toBe(403);
    expect(await status(providerApp('https://tenant.example/', keys, { VALID_JWT_ALGORITHMS: 'HS256,PS256' }), token)).toBe(200);
  });
});
