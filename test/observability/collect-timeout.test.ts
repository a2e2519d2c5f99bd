import { describe, expect, it } from 'vitest';
import { Controller, type Gauge, Get, MetricsRegistry } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';

@Controller('/ping')
class PingController {
  @Get('/')
  ping() {
    return { pong: true };
  }
}

describe('/metrics with a collect hook that never settles', () => {
  it('answers with every other metric once the hook has had collectTimeoutMs, and logs which one', async () => {
    const registry = new MetricsRegistry();
    // e.g. a pool-stats query while the database hangs
    registry.gauge({ name: 'hung_gauge', help: 'Never settles', collect: () => new Promise<void>(() => {}) });
    const depth: Gauge = registry.gauge({ name: 'queue_depth', help: 'Set by its hook', collect: () => depth.set(3) });
    registry.counter({ name: 'fine_total', help: 'Works' }).inc();
    const { app, logger } = obsApp([PingController], { metrics: { registry, collectTimeoutMs: 50 } });
    await app.fetch(get('/ping'));
    const res = await app.fetch(get('/metrics'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('fine_total 1\n');
    expect(text).toContain('queue_depth 3\n');
    expect(text).toContain('http_requests_total{method="GET",route="/ping",status="200"} 1\n');
    expect(text).not.toContain('hung_gauge');
    const warning = logger.lines.find((l) => l.message === 'metric collect hook failed');
    expect(warning?.fields).toEqual({ metric: 'hung_gauge', error: 'Error: collect hook did not settle within 50 ms' });
  });

  it('calls a hook with its metric as `this`, as before', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({
      name: 'self_set',
      help: 'Sets itself through this',
      collect(this: { set(v: number): void }) {
        this.set(7);
      },
    });
    expect(await registry.scrape({ collectTimeoutMs: 50 })).toContain('self_set 7\n');
  });
});
