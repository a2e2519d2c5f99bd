import { Router } from 'itty-router';
import { describe, expect, it } from 'vitest';
import { augmentApp, Controller, Get, MetricsRegistry, Param, Post, PROMETHEUS_CONTENT_TYPE } from '../../src/index.ts';
import { get, memoryLogger, obsApp, PROMTOOL_REQUIRED, promtool } from './helpers.ts';

@Controller('/patients')
class PatientController {
  @Get('/:patient_id')
  get(@Param('patient_id') id: string) {
    return { id };
  }
  @Post('/')
  create() {
    throw new Error('boom');
  }
}

async function scrape(app: { fetch(r: Request): Promise<Response> }): Promise<string> {
  const res = await app.fetch(get('/metrics'));
  expect(res.status).toBe(200);
  return res.text();
}

/** Every sample line of one metric family. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('/metrics', () => {
  it('answers Prometheus text format 0.0.4', async () => {
    const { app } = obsApp([PatientController]);
    const res = await app.fetch(get('/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(PROMETHEUS_CONTENT_TYPE).toBe(res.headers.get('content-type'));
  });

  it('counts requests by method, route template and status, never the raw URL', async () => {
    const { app } = obsApp([PatientController]);
    await app.fetch(get('/patients/1'));
    await app.fetch(get('/patients/2'));
    await app.fetch(get('/patients/3', { method: 'HEAD' }));
    await app.fetch(get('/patients', { method: 'POST' }));
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",route="/patients/:patient_id",status="200"} 2',
      'http_requests_total{method="HEAD",route="/patients/:patient_id",status="200"} 1',
      'http_requests_total{method="POST",route="/patients",status="500"} 1',
    ]);
    expect(text).not.toContain('/patients/1"');
  });

  it('writes http_request_duration_seconds as a histogram with cumulative buckets, _sum and _count', async () => {
    const { app } = obsApp([PatientController], { metrics: { buckets: [0.5, 60] } });
    await app.fetch(get('/patients/1'));
    await app.fetch(get('/patients/2'));
    const text = await scrape(app);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    const labels = 'method="GET",route="/patients/:patient_id",status="200"';
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="60"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="+Inf"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_count{${labels}} 2\n`);
    expect(text).toMatch(new RegExp(`http_request_duration_seconds_sum\\{${labels.replace(/[/:]/g, '\\$&')}\\} [0-9.e-]+\\n`));
  });

  it('observes the duration in seconds: a 200 ms route lands above le="0.1" and within le="10"', async () => {
    @Controller('/wait')
    class Wait {
      @Get('/')
      async get() {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { waited: true };
      }
    }
    const { app } = obsApp([Wait]);
    expect((await app.fetch(get('/wait'))).status).toBe(200);
    const text = await scrape(app);
    const labels = 'method="GET",route="/wait",status="200"';
    // counted in milliseconds, 200 would fall past every bucket up to 10
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="0.1"} 0\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="10"} 1\n`);
  });

  it('is accepted by promtool check metrics, with awkward label values and help text', async (t) => {
    const registry = new MetricsRegistry();
    const odd = registry.counter({ name: 'odd_values_total', help: 'Help with a \\ backslash\nand a newline', labelNames: ['v'] });
    odd.inc({ v: 'quote " backslash \\ newline \n carriage \r end' });
    odd.inc({ v: '' }, 2);
    registry.gauge({ name: 'queue_depth', help: 'Jobs waiting' }).set(Number.NaN);
    registry.histogram({ name: 'render_seconds', help: 'Render time', buckets: [0.1, 1] }).observe(Number.POSITIVE_INFINITY);
    const { app } = obsApp([PatientController], { metrics: { registry } });
    await app.fetch(get('/patients/1'));
    await app.fetch(get('/nowhere'));
    await app.fetch(get('/patients', { method: 'POST' }));
    const text = await scrape(app);
    expect(text).toContain('odd_values_total{v="quote \\" backslash \\\\ newline \\n carriage \r end"} 1\n');
    expect(text).toContain('# HELP odd_values_total Help with a \\\\ backslash\\nand a newline\n');
    const verdict = promtool(text);
    if (verdict === undefined) {
      if (PROMTOOL_REQUIRED) throw new Error('promtool is not installed but CI=true: install the Debian package "prometheus"');
      console.warn('promtool not installed: skipping the promtool check (apt-get install prometheus)');
      t.skip();
      return;
    }
    expect(verdict.output).toBe('');
    expect(verdict.status).toBe(0);
  });

  it('folds 1,000 random unknown paths into one route label', async () => {
    const { app } = obsApp([PatientController]);
    for (let i = 0; i < 1000; i++) {
      const path = `/${crypto.randomUUID()}/${Math.random().toString(36).slice(2)}?q=${i}`;
      expect((await app.fetch(get(path))).status).toBe(404);
    }
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total')).toEqual(['http_requests_total{method="GET",route="<unmatched>",status="404"} 1000']);
    expect(samples(text, 'http_request_duration_seconds_count')).toHaveLength(1);
  });

  it('labels unusual methods OTHER and never uses the Host header', async () => {
    const { app } = obsApp([PatientController]);
    await app.fetch(get('/patients/1', { method: 'PROPFIND' }));
    await app.fetch(new Request('http://evil.example/patients/1', { headers: { host: 'attacker.example' } }));
    const text = await scrape(app);
    expect(text).toContain('http_requests_total{method="OTHER",route="/patients/:patient_id",status="405"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/patients/:patient_id",status="200"} 1');
    expect(text).not.toContain('evil.example');
    expect(text).not.toContain('attacker.example');
  });

  it('leaves the monitoring routes out of the counts', async () => {
    const { app } = obsApp([PatientController]);
    for (const path of ['/running', '/version', '/healthcheck', '/metrics']) expect((await app.fetch(get(path))).status).toBe(200);
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total')).toEqual([]);
  });

  it('shows metrics users register on their own registry', async () => {
    const registry = new MetricsRegistry();
    const signups = registry.counter({ name: 'signups_total', help: 'Accounts created', labelNames: ['plan'] });
    const { app } = obsApp([PatientController], { metrics: { registry } });
    signups.inc({ plan: 'free' });
    signups.inc({ plan: 'free' });
    signups.labels({ plan: 'pro' }).inc(3);
    const text = await scrape(app);
    expect(text).toContain('# TYPE signups_total counter\nsignups_total{plan="free"} 2\nsignups_total{plan="pro"} 3\n');
    registry.reset();
    expect(await scrape(app)).toContain('signups_total{plan="free"} 0\n');
  });

  it('still answers 200 with the other metrics when a collect hook throws', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({
      name: 'broken_gauge',
      help: 'Throws on every scrape',
      collect() {
        throw new Error('sink down');
      },
    });
    registry.counter({ name: 'fine_total', help: 'Works' }).inc();
    const { app, logger } = obsApp([PatientController], { metrics: { registry } });
    const text = await scrape(app);
    expect(text).toContain('fine_total 1\n');
    expect(text).not.toContain('broken_gauge');
    expect(logger.lines.some((l) => l.message === 'metric collect hook failed')).toBe(true);
  });

  it('has no /metrics and collects nothing with testing: true or metrics: false', async () => {
    for (const options of [{ testing: true }, { metrics: false }]) {
      const registry = new MetricsRegistry();
      const { app } = obsApp([PatientController], { ...options, metrics: options.metrics ?? { registry } });
      await app.fetch(get('/patients/1'));
      expect((await app.fetch(get('/metrics'))).status).toBe(404);
      expect(await registry.scrape()).toBe('');
    }
  });

  it('keeps one registry per app', async () => {
    const a = obsApp([PatientController]).app;
    const b = obsApp([PatientController]).app;
    await a.fetch(get('/patients/1'));
    expect(samples(await scrape(a), 'http_requests_total')).toHaveLength(1);
    expect(samples(await scrape(b), 'http_requests_total')).toHaveLength(0);
  });
});

describe('/metrics on augmentApp', () => {
  it('labels a wrapped itty-router by its route template', async () => {
    const router = Router();
    router.get('/legacy/:id', () => Response.json({ ok: true }));
    const app = augmentApp(router, { env: { ENVIRONMENT: 'TEST' }, docs: false, logger: memoryLogger() });
    await app.fetch(get('/legacy/1'));
    await app.fetch(get('/legacy/2'));
    expect(samples(await scrape(app), 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",route="/legacy/:id",status="200"} 2',
    ]);
  });
});

describe('/metrics label cap', () => {
  it('folds templates beyond 1,000 distinct ones (a foreign router minting them) into <unmatched>', async () => {
    let n = 0;
    const minting = (request: Request) => {
      (request as { route?: string }).route = `/minted/${n++}`;
      return new Response('ok');
    };
    const app = augmentApp(minting, { env: { ENVIRONMENT: 'TEST' }, docs: false, logger: memoryLogger() });
    for (let i = 0; i < 1100; i++) await app.fetch(get(`/anything/${i}`));
    const lines = samples(await scrape(app), 'http_requests_total');
    expect(lines).toHaveLength(1001);
    expect(lines).toContain('http_requests_total{method="GET",route="<unmatched>",status="200"} 100');
  });
});

describe('MetricsRegistry', () => {
  it('refuses invalid names, reserved labels and decreasing counters', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'bad-name', help: 'x' })).toThrow(TypeError);
    expect(() => registry.counter({ name: 'ok_total', help: 'x', labelNames: ['__reserved'] })).toThrow(TypeError);
    expect(() => registry.histogram({ name: 'h', help: 'x', labelNames: ['le'] })).toThrow(/reserved/);
    expect(() => registry.histogram({ name: 'h2', help: 'x', buckets: [1, 0.5] })).toThrow(/increasing/);
    const c = registry.counter({ name: 'c_total', help: 'x', labelNames: ['a'] });
    expect(() => c.inc({ a: 'x' }, -1)).toThrow(RangeError);
    expect(() => c.inc({ b: 'x' } as never)).toThrow(/unknown label/);
    expect(() => c.inc()).toThrow(/required/);
  });

  it('returns the same metric for the same registration and refuses a conflicting one', () => {
    const registry = new MetricsRegistry();
    const a = registry.counter({ name: 'x_total', help: 'x', labelNames: ['k'] });
    expect(registry.counter({ name: 'x_total', help: 'x', labelNames: ['k'] })).toBe(a);
    expect(() => registry.gauge({ name: 'x_total', help: 'x', labelNames: ['k'] })).toThrow(/already registered/);
  });

  it('writes gauges, special values and histograms without labels', async () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge({ name: 'temp', help: 't' });
    g.set(-2.5);
    g.inc(0.5);
    const h = registry.histogram({ name: 'size_bytes', help: 's', buckets: [10, 100] });
    h.observe(5);
    h.observe(50);
    h.observe(500);
    h.observe(Number.NaN);
    const text = await registry.scrape();
    expect(text).toContain('temp -2\n');
    expect(text).toContain(
      'size_bytes_bucket{le="10"} 1\nsize_bytes_bucket{le="100"} 2\nsize_bytes_bucket{le="+Inf"} 3\nsize_bytes_sum 555\nsize_bytes_count 3\n',
    );
  });
});
