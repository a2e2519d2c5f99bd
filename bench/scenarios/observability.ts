import { Router } from 'itty-router';
import { Controller, consoleJsonLogger, createApp, Get, type Logger } from '../../src/index.ts';
import { hono, ittyBare } from '../frameworks.ts';
import type { BenchTarget, Scenario } from '../scenario.ts';

/**
 * The cost of each observability battery on the plain JSON route: the same app with the
 * batteries switched on one at a time. X-Request-ID, Server-Timing and the no-cache headers are
 * part of the core and always on, so "core headers" is the floor.
 */
@Controller('/')
class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'Hello, world' };
  }
}

// the real JSON formatting of consoleJsonLogger, written nowhere: stdout is not what we measure
const discard = (): Logger => consoleJsonLogger('info', () => {});

function ours(name: string, options: { metrics: boolean; log: boolean }): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'INFO' },
    controllers: [HelloController],
    docs: false,
    metrics: options.metrics,
    monitoring: { requestLog: options.log },
    logger: discard(),
  });
  return { name, fetch: app.fetch, app, close: () => app.close() };
}

/** A bare itty-router handler sending the same five headers we send (X-Request-ID from a fresh UUID, Server-Timing, no-cache): their cost on the wire. */
function ittyWithHeaders(): BenchTarget {
  const router = Router();
  router.get('/hello', () => {
    const start = performance.now();
    const body = JSON.stringify({ message: 'Hello, world' });
    return new Response(body, {
      headers: {
        'content-type': 'application/json',
        'x-request-id': crypto.randomUUID(),
        'server-timing': `total;dur=${Math.round((performance.now() - start) * 100) / 100}`,
        'cache-control': 'no-cache, must-revalidate',
        pragma: 'no-cache',
        expires: '0',
      },
    });
  });
  return { name: 'itty-router (bare) + the five headers', fetch: (request) => router.fetch(request) as Promise<Response> };
}

const scenario: Scenario = {
  name: 'observability',
  description: 'GET /hello with the observability batteries switched on one at a time (log lines formatted as JSON, written nowhere)',
  request: { method: 'GET', path: '/hello' },
  expectStatus: 200,
  targets: async () => [
    ours('fetch-batteries (core headers only)', { metrics: false, log: false }),
    ours('fetch-batteries (+ metrics)', { metrics: true, log: false }),
    ours('fetch-batteries (+ request log)', { metrics: false, log: true }),
    ours('fetch-batteries (all observability)', { metrics: true, log: true }),
    hono(),
    ittyBare(),
    ittyWithHeaders(),
  ],
};
export default scenario;
