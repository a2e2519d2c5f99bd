import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { createProviderKeys, mintInternalToken, mintProviderToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, PROXY_URL, req } from './helpers.ts';

// jose is most of the framework's import time: it is loaded only for an app with a JWT route, at
// warm-up or on the first token. Each test loads the framework afresh, so "not loaded yet" is real.
async function fresh() {
  vi.resetModules();
  const framework = await import('../../src/index.ts');
  const jose = await import('../../src/security/jwt/jose.ts');
  return { ...framework, joseLoaded: jose.joseLoaded };
}

type Framework = Awaited<ReturnType<typeof fresh>>;

// decorators applied by hand, against the freshly loaded modules
function controller(f: Framework, secured: boolean) {
  class Hello {
    hello() {
      return { message: 'hello' };
    }
  }
  const proto = Hello.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'hello') as PropertyDescriptor;
  f.Get('/hello')(proto, 'hello', descriptor);
  if (secured) f.Secured()(proto, 'hello', descriptor);
  f.Controller('/')(Hello);
  return Hello;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const env = { ENVIRONMENT: 'DEVELOPMENT', HS_KEY, PROXY_URL };

describe('jose is loaded only by an app with a JWT route', () => {
  it('an app without a JWT route answers, warms up and closes without loading jose', async () => {
    const f = await fresh();
    const app = f.createApp({ env, testing: true, docs: false, logger: quiet, controllers: [controller(f, false)] });
    await app.ready();
    const res = await app.fetch(req('/hello'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'hello' });
    await app.close();
    expect(f.joseLoaded()).toBeUndefined();
  });

  it('the first request with a token verifies it without a warm-up (jose loads on the way)', async () => {
    const f = await fresh();
    const app = f.createApp({ env, testing: true, docs: false, logger: quiet, controllers: [controller(f, true)] });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER });
    const [ok, denied] = await Promise.all([app.fetch(req('/hello', bearer(token))), app.fetch(req('/hello', bearer(`${token}x`)))]);
    expect(ok.status).toBe(200);
    expect(denied.status).toBe(403);
    expect(f.joseLoaded()).toBeDefined();
  });

  it('app.ready() loads jose for an app with a JWT route, before any request', async () => {
    const f = await fresh();
    const app = f.createApp({ env, testing: true, docs: false, logger: quiet, controllers: [controller(f, true)] });
    await app.ready();
    expect(f.joseLoaded()).toBeDefined();
    const res = await app.fetch(req('/hello'));
    expect(res.status).toBe(401);
  });

  it('a key set given in code is checked at start-up, and its keys verify on the first request', async () => {
    const f = await fresh();
    const keys = await createProviderKeys();
    const issuer = 'https://partner.example/';
    expect(() =>
      f.createApp({
        env: { ENVIRONMENT: 'DEVELOPMENT' },
        testing: true,
        docs: false,
        logger: quiet,
        controllers: [controller(f, true)],
        jwt: { issuers: [{ issuer, jwks: { keys: ['not a key'] } as never }] },
      }),
    ).toThrow(/jwt\.issuers\[https:\/\/partner\.example\/\]: jwks is not a JSON Web Key Set/);
    const app = f.createApp({
      env: { ENVIRONMENT: 'DEVELOPMENT' },
      testing: true,
      docs: false,
      logger: quiet,
      controllers: [controller(f, true)],
      jwt: { issuers: [{ issuer, jwks: keys.jwks, audience: 'api' }] },
    });
    const token = await mintProviderToken(keys, { issuer, audience: 'api' });
    expect((await app.fetch(req('/hello', bearer(token)))).status).toBe(200);
    const other = await mintProviderToken(await createProviderKeys(), { issuer, audience: 'api' });
    expect((await app.fetch(req('/hello', bearer(other)))).status).toBe(403);
  });
});

describe('what importing fetch-batteries parses', () => {
  it('a bundle of the package keeps jose out of the entry chunk, in a chunk loaded on demand', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const result = await build({
      entryPoints: [`${root}src/index.ts`],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      outdir: '/nonexistent',
      write: false,
      metafile: true,
      tsconfig: `${root}tsconfig.json`,
      logLevel: 'silent',
    });
    const outputs = Object.values(result.metafile.outputs);
    const joseIn = (o: (typeof outputs)[number]) => Object.keys(o.inputs).filter((i) => i.includes('node_modules/jose/'));
    const entry = outputs.find((o) => o.entryPoint?.endsWith('src/index.ts'));
    expect(entry).toBeDefined();
    expect(joseIn(entry as (typeof outputs)[number])).toEqual([]);
    // the on-demand chunk holds only the subpaths used, not the whole jose barrel
    const lazy = outputs.flatMap(joseIn);
    expect(lazy).toContain('node_modules/jose/dist/webapi/jwt/verify.js');
    expect(lazy.some((i) => i.includes('/jwe/') || i.endsWith('jose/dist/webapi/index.js'))).toBe(false);
  });
});
