import { afterEach, describe, expect, it } from 'vitest';
import { withDocsAssets } from '../../src/adapters/docs-assets.ts';
import { runtimePlatform } from '../../src/adapters/platform.ts';
import { augmentApp, Controller, createApp, Get, Query } from '../../src/index.ts';
import { installPlatform } from '../../src/kernel/platform.ts';
import { memoryLogger } from '../observability/helpers.ts';

@Controller('/')
class HelloController {
  @Get('/hello')
  hello(@Query('name') name?: string) {
    return { message: `Hello ${name ?? 'you'}` };
  }
  @Get('/secure/key')
  key() {
    return { secret: true };
  }
}

/** What Bun hands the app for a request with no Host (HTTP/1.0) or a malformed one: a relative URL. */
function relative(url: string, host?: string): Request {
  const request = new Request(`http://placeholder${url}`, { headers: host === undefined ? {} : { host } });
  Object.defineProperty(request, 'url', { value: url });
  return request;
}

const make = (logger = memoryLogger()) => ({
  app: createApp({ env: { ENVIRONMENT: 'TEST' }, docs: false, controllers: [HelloController], logger }),
  logger,
});
const logged = (logger: ReturnType<typeof memoryLogger>) =>
  logger.lines
    .filter((l) => l.fields?.httpRequest !== undefined)
    .map((l) => l.fields?.httpRequest as { requestUrl: string; status: number });

describe('a relative request.url (Bun without a valid Host)', () => {
  it('routes by the whole path: /x/hello is 404, /hello is 200 with its query', async () => {
    const { app, logger } = make();
    expect((await app.fetch(relative('/x/hello'))).status).toBe(404);
    const hello = await app.fetch(relative('/hello?name=Ada'));
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: 'Hello Ada' });
    expect(logged(logger)).toMatchObject([
      { requestUrl: '/x/hello', status: 404 },
      { requestUrl: '/hello?name=Ada', status: 200 },
    ]);
  });

  it('answers 400 "Invalid Host header", logged with a request id, when a Host was sent', async () => {
    const { app, logger } = make();
    const res = await app.fetch(relative('/hello', 'a b'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Invalid Host header' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged(logger)).toMatchObject([{ requestUrl: '/hello', status: 400 }]);
  });

  it('serves HEAD like GET, without a body', async () => {
    const { app } = make();
    const request = new Request('http://placeholder/hello', { method: 'HEAD' });
    Object.defineProperty(request, 'url', { value: '/hello' });
    const res = await app.fetch(request);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('reaches an augmented handler as an absolute URL it can parse', async () => {
    const app = augmentApp((request: Request) => Response.json({ path: new URL(request.url).pathname }), {
      env: { ENVIRONMENT: 'TEST' },
      docs: false,
      logger: memoryLogger(),
    });
    const res = await app.fetch(relative('/foreign?q=1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/foreign' });
  });

  it("gets the Swagger UI files from withDocsAssets, and a malformed Host the app's 400 instead of a 500", async () => {
    const { app } = make();
    const served = withDocsAssets(app);
    const css = await served.fetch(relative('/docs/assets/swagger-ui.css'));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const bad = await served.fetch(relative('/docs/assets/swagger-ui.css', 'a b'));
    expect(bad.status).toBe(400);
  });
});

describe('a runtime that glues the Host header into request.url (Deno)', () => {
  afterEach(() => installPlatform(runtimePlatform));
  const gluing = () => {
    installPlatform({ ...runtimePlatform, hostUnchecked: true });
    return make();
  };

  it('answers 400 to `Host: x/secure`, never the route its URL names', async () => {
    const { app, logger } = gluing();
    const res = await app.fetch(new Request('http://x/secure/key', { headers: { host: 'x/secure' } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Invalid Host header' });
    expect(logged(logger)).toMatchObject([{ requestUrl: 'http://x/secure/key', status: 400 }]);
  });

  it('serves a well-formed Host, an IP literal, or none', async () => {
    const { app } = gluing();
    for (const host of ['api.example.com:8080', '[::1]:80', '']) {
      expect((await app.fetch(new Request('http://h/hello', { headers: { host } }))).status).toBe(200);
    }
    expect((await app.fetch(new Request('http://h/hello'))).status).toBe(200);
  });

  it('refuses each character that would move the path: / ? # @ \\ whitespace, control', async () => {
    const { app } = gluing();
    for (const host of ['x/y', 'x?y', 'x#y', 'u@x', 'x\\y', 'a b', 'a\tb']) {
      expect((await app.fetch(new Request('http://h/hello', { headers: { host } }))).status, host).toBe(400);
    }
  });
});
