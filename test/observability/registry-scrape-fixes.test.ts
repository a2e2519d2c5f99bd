import { describe, expect, it } from 'vitest';
import { Controller, Get, MetricsRegistry } from '../../src/index.ts';
import { get, memoryLogger, obsApp, PROMTOOL_REQUIRED, promtool } from './helpers.ts';

@Controller('/ping')
class PingController {
  @Get('/')
  ping() {
    return { pong: true };
  }
}

describe('a metric named like a histogram series', () => {
  for (const suffix of ['_count', '_sum', '_bucket']) {
    it(`refuses a counter render_seconds${suffix} next to a histogram render_seconds, naming both`, () => {
      const registry = new MetricsRegistry();
      registry.histogram({ name: 'render_seconds', help: 'PDF render time' });
      expect(() => registry.counter({ name: `render_seconds${suffix}`, help: 'Collides' })).toThrow(
        /render_seconds\S* \(counter\) and metric render_seconds \(histogram\).*duplicated timeseries/,
      );
    });
  }

  it('refuses a histogram whose series a gauge registered before it already writes', () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'render_seconds_sum', help: 'Registered first' });
    expect(() => registry.histogram({ name: 'render_seconds', help: 'PDF render time' })).toThrow(
      /render_seconds \(histogram\) and metric render_seconds_sum \(gauge\)/,
    );
  });

  it("refuses a counter named like the built-in duration histogram's count, at createApp", () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'http_request_duration_seconds_count', help: 'Collides' });
    expect(() => obsApp([PingController], { metrics: { registry } })).toThrow(/http_request_duration_seconds/);
  });

  it('keeps /metrics parseable by promtool for names that do not collide', async (ctx) => {
    const registry = new MetricsRegistry();
    registry.histogram({ name: 'render_seconds', help: 'PDF render time' }).observe(0.2);
    registry.counter({ name: 'render_seconds_counted_total', help: 'Does not collide' }).inc();
    const verdict = promtool(await registry.scrape());
    if (verdict === undefined) {
      if (PROMTOOL_REQUIRED) throw new Error('promtool is required in CI');
      ctx.skip();
      return;
    }
    expect(verdict.output).not.toMatch(/error|second HELP/i);
  });
});

describe('metrics.collectTimeoutMs', () => {
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '500' as unknown as number]) {
    it(`is refused at createApp when it is ${String(bad)}`, () => {
      expect(() => obsApp([PingController], { metrics: { collectTimeoutMs: bad } })).toThrow(
        /metrics\.collectTimeoutMs must be a finite number of milliseconds above 0/,
      );
    });
  }

  it('is capped at 2^31-1 ms, so a huge one still waits for the hook instead of firing at once', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'slow_gauge', help: 'Takes 20 ms', collect: () => new Promise<void>((r) => setTimeout(r, 20)) });
    const { app, logger } = obsApp([PingController], { metrics: { registry, collectTimeoutMs: 3e9 } });
    const text = await (await app.fetch(get('/metrics'))).text();
    expect(text).toContain('slow_gauge 0\n');
    expect(logger.lines.filter((l) => l.message === 'metric collect hook failed')).toEqual([]);
  });
});

describe('a metric without labels', () => {
  it('shows its one series at 0 before first use, counter, gauge and histogram alike', async () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'jobs_total', help: 'Jobs' });
    registry.gauge({ name: 'queue_depth', help: 'Waiting' });
    registry.histogram({ name: 'render_seconds', help: 'Render time', buckets: [0.1, 1] });
    registry.counter({ name: 'signups_total', help: 'Labelled', labelNames: ['plan'] });
    const text = await registry.scrape();
    expect(text).toContain('# TYPE jobs_total counter\njobs_total 0\n');
    expect(text).toContain('# TYPE queue_depth gauge\nqueue_depth 0\n');
    expect(text).toContain(
      '# TYPE render_seconds histogram\nrender_seconds_bucket{le="0.1"} 0\nrender_seconds_bucket{le="1"} 0\nrender_seconds_bucket{le="+Inf"} 0\nrender_seconds_sum 0\nrender_seconds_count 0\n',
    );
    // a labelled metric has no series to show until a label set is used
    expect(text).toContain('# TYPE signups_total counter\n');
    expect(text).not.toContain('signups_total{');
  });
});

describe('collect hooks across scrapes', () => {
  it('calls a hook that never settles once, however many scrapes time out on it', async () => {
    const registry = new MetricsRegistry();
    let calls = 0;
    registry.gauge({
      name: 'pool_idle',
      help: 'Hangs',
      collect: () => {
        calls++;
        return new Promise<void>(() => {});
      },
    });
    const errors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const text = await registry.scrape({ collectTimeoutMs: 20, onError: (metric) => errors.push(metric) });
      expect(text).not.toContain('pool_idle');
    }
    expect(calls).toBe(1);
    expect(errors).toEqual(['pool_idle', 'pool_idle', 'pool_idle']);
  });

  it('runs a hook once for two concurrent scrapes of /metrics, and again for the next one', async () => {
    const registry = new MetricsRegistry();
    let calls = 0;
    const gauge = registry.gauge({
      name: 'queue_depth',
      help: 'Set by its hook',
      collect: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        gauge.set(calls);
      },
    });
    const { app } = obsApp([PingController], { metrics: { registry }, logger: memoryLogger() });
    const [a, b] = await Promise.all([app.fetch(get('/metrics')), app.fetch(get('/metrics'))]);
    expect(await a.text()).toContain('queue_depth 1\n');
    expect(await b.text()).toContain('queue_depth 1\n');
    expect(await (await app.fetch(get('/metrics'))).text()).toContain('queue_depth 2\n');
  });
});
