import { describe, expect, it } from 'vitest';
import { serve } from '../../src/adapters/node.ts';
import { Controller, createApp, Get, silentLogger } from '../../src/index.ts';

@Controller('/')
class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'hi' };
  }
}

const app = (docs?: false) => createApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger, docs, controllers: [HelloController] });

describe('serve() and the Swagger UI files', () => {
  it('answers /docs/assets/ from swagger-ui-dist by default, so /docs works offline', async () => {
    const server = await serve(app(), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    try {
      const css = await fetch(`${server.url}/docs/assets/swagger-ui.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect((await fetch(`${server.url}/docs`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('serves no files with docsAssets: false, nor for an app without /docs', async () => {
    for (const [served, options] of [
      [app(), { docsAssets: false }],
      [app(false), {}],
    ] as const) {
      const server = await serve(served, { port: 0, hostname: '127.0.0.1', handleSignals: false, ...options });
      try {
        expect((await fetch(`${server.url}/docs/assets/swagger-ui.css`)).status).toBe(404);
        expect((await fetch(`${server.url}/hello`)).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});
