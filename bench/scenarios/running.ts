import { Hono } from 'hono';
import { Router } from 'itty-router';
import { createApp } from '../../src/index.ts';
import { benchLogger } from '../log-targets.ts';
import type { BenchTarget, Scenario } from '../scenario.ts';

/** The built-in GET /running of an app with every battery on (it is left out of metrics and the request log). */
function ours(): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'INFO' },
    controllers: [],
    docs: false,
    logger: benchLogger('batched'),
  });
  return { name: 'fetch-batteries (built-in /running)', fetch: app.fetch, app, close: () => app.close() };
}

function hono(): BenchTarget {
  const app = new Hono();
  app.get('/running', (c) => c.json({ running: true }));
  return { name: 'hono', fetch: (request) => app.fetch(request) };
}

function bare(): BenchTarget {
  const router = Router();
  router.get('/running', () => new Response('{"running":true}', { headers: { 'content-type': 'application/json' } }));
  return { name: 'itty-router (bare)', fetch: (request) => router.fetch(request) as Promise<Response> };
}

const scenario: Scenario = {
  name: 'running',
  description: 'GET /running -> {"running":true}: the built-in liveness route against the same route in Hono and a bare handler.',
  request: { method: 'GET', path: '/running' },
  expectStatus: 200,
  targets: async () => [ours(), hono(), bare()],
};
export default scenario;
