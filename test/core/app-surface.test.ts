import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get } from '../../src/index.ts';
import { get, quietLogger } from './helpers.ts';

@Controller('/jobs')
class JobController {
  @Get('/')
  list() {
    return [];
  }
}

describe('the App object', () => {
  it('exposes the metrics registry, so custom metrics appear on /metrics', async () => {
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, controllers: [JobController], logger: quietLogger() });
    const jobs = app.metrics?.counter({ name: 'jobs_processed_total', help: 'Jobs processed', labelNames: ['queue'] });
    jobs?.inc({ queue: 'email' }, 3);
    const text = await (await app.fetch(get('/metrics'))).text();
    expect(text).toContain('jobs_processed_total{queue="email"} 3');
  });

  it('keeps a registry in testing mode (code that registers metrics still runs) but serves no /metrics', async () => {
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [JobController], logger: quietLogger() });
    app.metrics?.counter({ name: 'jobs_processed_total', help: 'Jobs processed' }).inc();
    expect((await app.fetch(get('/metrics'))).status).toBe(404);
    expect(app.db).toBeUndefined();
  });
});
