import { describe, expect, it } from 'vitest';
import { defaultBatteries } from '../../src/app/batteries.ts';
import { type Battery, type Logger, MetricsRegistry } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController, requestLines } from './request-log-app.ts';

describe('a broken logger or metrics sink never costs the response', () => {
  const throwing: Logger = {
    debug() {
      throw new Error('log sink down');
    },
    info() {
      throw new Error('log sink down');
    },
    warn() {
      throw new Error('log sink down');
    },
    error() {
      throw new Error('log sink down');
    },
    isLevelEnabled() {
      throw new Error('log sink down');
    },
  };

  it('still answers normally when every logger call throws', async () => {
    const { app } = obsApp([LogController], { logger: throwing });
    const ok = await app.fetch(get('/p/1'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const crash = await app.fetch(get('/p'));
    expect(crash.status).toBe(500);
    expect(await crash.json()).toHaveProperty('message');
    expect((await app.fetch(get('/running'))).status).toBe(200);
  });

  it('still answers normally when a metrics sink throws on every response', async () => {
    const sink: Battery = {
      name: 'broken-metrics-sink',
      start: () => ({
        onResponse() {
          throw new Error('statsd down');
        },
      }),
    };
    const registry = new MetricsRegistry();
    const { app, logger } = obsApp([LogController], { metrics: { registry } }, [sink, ...defaultBatteries()]);
    const res = await app.fetch(get('/p/1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await app.fetch(get('/p'))).status).toBe(500);
    // the broken sink runs first: the metrics and the request log after it still see every request
    expect(requestLines(logger.lines).map((l) => l.message)).toEqual(['GET "http://svc.test/p/1" 200', 'GET "http://svc.test/p" 500']);
    const text = await (await app.fetch(get('/metrics'))).text();
    expect(text).toContain('http_requests_total{method="GET",route="/p/:id",status="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/p",status="500"} 1');
  });

  it("still answers, and counts, when a custom metric update throws in another battery's onResponse", async () => {
    const registry = new MetricsRegistry();
    const custom = registry.counter({ name: 'custom_total', help: 'c', labelNames: ['kind'] });
    const sink: Battery = {
      name: 'custom-metric',
      start: () => ({
        onResponse() {
          custom.inc({ nope: 'x' } as never); // throws: unknown label
        },
      }),
    };
    const { app } = obsApp([LogController], { metrics: { registry } }, [...defaultBatteries(), sink]);
    expect((await app.fetch(get('/p/1'))).status).toBe(200);
    expect(await (await app.fetch(get('/metrics'))).text()).toContain('http_requests_total{method="GET",route="/p/:id",status="200"} 1');
  });
});
