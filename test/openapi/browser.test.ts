import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/app/index.ts';
import { type NodeServer, serve } from '../../src/adapters/node.ts';
import { silentLogger } from '../../src/index.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// CI installs chromium (.ci/run): there a missing browser is a failure, not a skip
if (!available && process.env.CI !== 'true') console.warn(`skipping the /docs browser test: no Chromium at ${CHROMIUM}`);

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
// the demo as a user serves it on each runtime: serve() with its defaults, no docs option
const RUNTIMES: Record<string, [string, string[]]> = {
  node: [bin('tsx'), ['test/openapi/fixtures/docs-server.ts']],
  bun: [bin('bun'), ['test/openapi/fixtures/docs-server.ts']],
  deno: [bin('deno'), ['run', '-A', '--config', 'deno.json', 'test/openapi/fixtures/docs-server.ts']],
};

const children: ChildProcess[] = [];

/** Starts the fixture on one runtime; resolves with its URL once it printed READY. */
function startServer(runtime: string): Promise<string> {
  const [command, args] = RUNTIMES[runtime];
  const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' } });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${runtime} exited with ${code}:\n${out}`)));
  });
}

/** A page that may reach nothing but `base` (the network unplugged); the refused URLs are recorded. */
async function offlinePage(browser: Browser, base: string): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort('internetdisconnected');
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, outside, errors };
}

describe.skipIf(!available && process.env.CI !== 'true')('/docs in a real browser, offline', () => {
  let browser: Browser;
  const servers = new Map<string, Promise<string>>();

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    // every runtime starts at once (each opens its embedded database before listening)
    for (const runtime of Object.keys(RUNTIMES)) {
      const started = startServer(runtime);
      started.catch(() => {}); // reported by the test that needs it
      servers.set(runtime, started);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  });

  it.each(Object.keys(RUNTIMES))(
    'renders the demo operations from Swagger UI files its serve() answers, fetching nothing off the machine (%s)',
    async (runtime) => {
      const base = (await servers.get(runtime)) as string;
      const { page, outside, errors } = await offlinePage(browser, base);
      const response = await page.goto(`${base}/docs`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('Patients - API docs');
      await page.getByText('/patients/{patient_id}').first().waitFor({ timeout: 30_000 });
      const text = (await page.locator('#swagger-ui').textContent()) ?? '';
      expect(text).toContain('/patients/{patient_id}');
      expect(text).toContain('/hello');
      expect(text).toMatch(/POST\s*\/patients/);
      expect(text).toMatch(/DELETE\s*\/patients\/\{patient_id\}/);
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
    120_000,
  );

  describe('behind a proxy that mounts the service under a prefix', () => {
    let server: NodeServer;
    let proxy: ReturnType<typeof createServer>;
    let proxyUrl: string;
    beforeAll(async () => {
      const app = createDemoApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger });
      server = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: false });
      // /svc/... goes to the service without the prefix; anything else is a 404 from the proxy
      proxy = createServer((req, res) => {
        const url = req.url ?? '/';
        if (!url.startsWith('/svc/')) {
          res.writeHead(404).end('not under /svc');
          return;
        }
        const upstream = httpRequest(`${server.url}${url.slice(4)}`, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(async () => {
      proxy?.close();
      await server?.close();
    });

    it('"Try it out" calls the service under the prefix, not the origin\'s root', async () => {
      const { page, errors } = await offlinePage(browser, proxyUrl);
      await page.goto(`${proxyUrl}/svc/docs`);
      await page.getByText('/patients/{patient_id}').first().waitFor({ timeout: 30_000 });
      // the base Swagger UI builds every request URL from
      const servers = await page.evaluate(() =>
        (window as unknown as { ui: { specSelectors: { servers(): { toJS(): unknown } } } }).ui.specSelectors.servers().toJS(),
      );
      expect(servers).toEqual([{ url: `${proxyUrl}/svc` }]);
      // and a request built from it reaches the service through the proxy
      const status = await page.evaluate(async (url) => (await fetch(url)).status, `${proxyUrl}/svc/running`);
      expect(status).toBe(200);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  });

  describe('when no server answers the files', () => {
    let server: NodeServer;
    beforeAll(async () => {
      const app = createDemoApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger });
      server = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: false, docsAssets: false });
    }, 60_000);
    afterAll(() => server?.close());

    it('names every URL it tried and the option that changes them', async () => {
      const { page, outside } = await offlinePage(browser, server.url);
      await page.goto(`${server.url}/docs`);
      const message = page.getByText('Swagger UI could not be loaded');
      await message.waitFor({ timeout: 30_000 });
      const text = (await message.textContent()) ?? '';
      expect(text).toContain(`${server.url}/docs/assets/swagger-ui-bundle.js`);
      expect(text).toContain('https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js');
      expect(text).toContain('docs: { assetsUrl }');
      // the CDN was tried (and refused: the network is unplugged)
      expect(outside).toContain('https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js');
      await page.close();
    }, 60_000);
  });
});
