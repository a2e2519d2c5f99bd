import { describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/app/index.ts';
import { LOCAL_DOCS_ASSETS, withDocsAssets } from '../../src/adapters/docs-assets.ts';
import { serialise } from '../../src/cli/openapi-command.ts';
import { augmentApp, Controller, createApp, Get, silentLogger } from '../../src/index.ts';
import type { Doc } from './helpers.ts';

const env = { ENVIRONMENT: 'TEST', ACCEPTED_API_KEY: 'test-key' };
const demo = (options: Parameters<typeof createDemoApp>[0] = {}) => createDemoApp({ env, logger: silentLogger, ...options });
const get = (path: string, init?: RequestInit) => new Request(`http://docs.test${path}`, init);

describe('GET /openapi.json', () => {
  it('serves the same document as app.openapi()', async () => {
    const app = demo();
    const response = await app.fetch(get('/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(app.openapi());
  });

  it('answers byte-identical bodies every time, and a caller mutating app.openapi() changes nothing', async () => {
    const app = demo();
    const first = await (await app.fetch(get('/openapi.json'))).text();
    (app.openapi() as Doc).info.title = 'changed';
    const second = await (await app.fetch(get('/openapi.json'))).text();
    expect(second).toBe(first);
    expect((app.openapi() as Doc).info.title).toBe('Patients');
  });

  it('is not served with testing: true or docs: false, while app.openapi() still works', async () => {
    for (const app of [demo({ testing: true }), demo({ docs: false })]) {
      expect((await app.fetch(get('/openapi.json'))).status).toBe(404);
      expect((await app.fetch(get('/docs'))).status).toBe(404);
      expect((app.openapi() as Doc).openapi).toBe('3.1.0');
    }
  });

  it('leaves /openapi.json and /docs to the wrapped handler of augmentApp unless docs is set', async () => {
    const inner = (request: Request) => new Response(`inner ${new URL(request.url).pathname}`);
    const wrapped = augmentApp(inner, { env, logger: silentLogger });
    expect(await (await wrapped.fetch(get('/docs'))).text()).toBe('inner /docs');
    expect(await (await wrapped.fetch(get('/openapi.json'))).text()).toBe('inner /openapi.json');
    const documented = augmentApp(inner, { env, logger: silentLogger, docs: true });
    expect((await (await documented.fetch(get('/openapi.json'))).json()).openapi).toBe('3.1.0');
  });

  it("documents a controller of the app's own under /docs/", async () => {
    @Controller('/docs')
    class ManualController {
      @Get('/manual')
      manual() {
        return 'read me';
      }
    }
    const app = createApp({ env, logger: silentLogger, controllers: [ManualController] });
    expect(Object.keys((app.openapi() as Doc).paths)).toContain('/docs/manual');
  });

  it('does not document itself or /docs', async () => {
    const doc = (await (await demo().fetch(get('/openapi.json'))).json()) as Doc;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs') || p === '/openapi.json')).toEqual([]);
  });
});

describe('deterministic output', () => {
  it('gives byte-identical JSON and YAML from two separately built apps', async () => {
    const [a, b] = [demo(), demo()];
    expect(JSON.stringify(b.openapi())).toBe(JSON.stringify(a.openapi()));
    expect(await serialise(b.openapi(), 'yaml')).toBe(await serialise(a.openapi(), 'yaml'));
  });

  it('sorts keys everywhere below the top level', () => {
    const doc = demo().openapi() as Doc;
    expect(Object.keys(doc)).toEqual(['openapi', 'info', 'tags', 'paths', 'components']);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual([...paths].sort());
    const op = doc.paths['/patients'].post;
    expect(Object.keys(op)).toEqual([...Object.keys(op)].sort());
  });
});

describe('GET /docs', () => {
  it('answers a Swagger UI page loading its assets from the server first, the CDN as fallback, by default', async () => {
    const response = await demo().fetch(get('/docs'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<title>Patients - API docs</title>');
    expect(html).toContain('src="docs/assets/swagger-ui-bundle.js"');
    expect(html).toContain('data-fallback="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"');
    expect(html).toContain('data-openapi="openapi.json"');
    expect(html).not.toMatch(/<script>(?!<)/);
  });

  it('loads the assets from docs.assetsUrl', async () => {
    const html = await (await demo({ docs: { assetsUrl: '/static/swagger/' } }).fetch(get('/docs'))).text();
    expect(html).toContain('href="/static/swagger/swagger-ui.css"');
    expect(html).toContain('src="/static/swagger/swagger-ui-bundle.js"');
    // an explicit URL is the only one tried
    expect(html).not.toContain('data-fallback');
  });

  it('escapes the title and the assets URL', async () => {
    const app = demo({ title: '</title><script>alert(1)</script>', docs: { assetsUrl: '"><script>x()</script>' } });
    const html = await (await app.fetch(get('/docs'))).text();
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - API docs</title>');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"><script>x()');
  });

  it("redirects /docs/ to /docs, where the page's relative URLs resolve", async () => {
    const response = await demo().fetch(get('/docs/'));
    expect(response.status).toBe(308);
    expect(new URL(response.headers.get('location') as string, 'http://docs.test/docs/').pathname).toBe('/docs');
  });

  it('serves the start-up script as JavaScript', async () => {
    const response = await demo().fetch(get('/docs/init.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toContain('SwaggerUIBundle(');
  });
});

describe('withDocsAssets (Node)', () => {
  const app = demo({ docs: { assetsUrl: LOCAL_DOCS_ASSETS } });
  const fetch = withDocsAssets(app.fetch);

  it('serves Swagger UI files from node_modules under /docs/assets', async () => {
    const css = await fetch(get('/docs/assets/swagger-ui.css'));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await css.text()).length).toBeGreaterThan(10_000);
    const js = await fetch(get('/docs/assets/swagger-ui-bundle.js', { method: 'HEAD' }));
    expect(js.status).toBe(200);
    expect(Number(js.headers.get('content-length'))).toBeGreaterThan(100_000);
    expect(await js.text()).toBe('');
  });

  it('hands every other request to the app, including unknown or traversing asset names', async () => {
    expect((await fetch(get('/hello'))).status).toBe(200);
    expect((await fetch(get('/docs/assets/package.json'))).status).toBe(404);
    expect((await fetch(get('/docs/assets/..%2f..%2fpackage.json'))).status).toBe(404);
    expect((await fetch(get('/docs/assets/swagger-ui.css', { method: 'POST' }))).status).toBe(404);
  });

  it('makes /docs point at the local files', async () => {
    const html = await (await fetch(get('/docs'))).text();
    expect(html).toContain('src="/docs/assets/swagger-ui-bundle.js"');
  });
});
