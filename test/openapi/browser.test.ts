import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/app/index.ts';
import { LOCAL_DOCS_ASSETS, type NodeServer, serve, withDocsAssets } from '../../src/adapters/node.ts';
import { silentLogger } from '../../src/index.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// CI installs chromium (.ci/run): there a missing browser is a failure, not a skip
if (!available && process.env.CI !== 'true') console.warn(`skipping the /docs browser test: no Chromium at ${CHROMIUM}`);

describe.skipIf(!available && process.env.CI !== 'true')('/docs in a real browser', () => {
  let browser: Browser;
  let server: NodeServer;
  let base: string;
  const outside: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const app = createDemoApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger, docs: { assetsUrl: LOCAL_DOCS_ASSETS } });
    server = await serve(withDocsAssets(app), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    base = server.url;
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
    await server?.close();
  });

  it('renders the demo operations from local Swagger UI assets, fetching nothing off the machine', async () => {
    const page = await browser.newPage();
    // the page must work offline: refuse (and record) anything that is not our loopback server
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
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
  }, 60_000);
});
