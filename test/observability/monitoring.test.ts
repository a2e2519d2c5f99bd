import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.ts';
import { Controller, Get, type HealthReport } from '../../src/index.ts';
import { get, obsApp, withChecks } from './helpers.ts';

@Controller('/hello')
class HelloController {
  @Get('/')
  hello() {
    return { hello: 'world' };
  }
}

const never = () => new Promise<void>(() => {});

describe('monitoring endpoints', () => {
  it('GET /running answers {"running": true}', async () => {
    const { app } = obsApp([HelloController]);
    const res = await app.fetch(get('/running'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ running: true });
  });

  it('GET /version answers "unknown" when nothing says', async () => {
    // no env, and build files that do not exist (a machine may have a real /app)
    const files = { circle: '/nonexistent/build-circleci.txt', hash: '/nonexistent/build-githash.txt' };
    const { app } = obsApp([HelloController], { monitoring: { version: { files } } });
    expect(await (await app.fetch(get('/version'))).json()).toEqual({ circle: 'unknown', hash: 'unknown' });
  });

  it('GET /version reads BUILD_NUMBER/GIT_HASH, or CIRCLE_BUILD_NUM/GIT_COMMIT', async () => {
    const a = obsApp([HelloController], { env: { ENVIRONMENT: 'TEST', BUILD_NUMBER: '1234', GIT_HASH: '366c204' } }).app;
    expect(await (await a.fetch(get('/version'))).json()).toEqual({ circle: '1234', hash: '366c204' });
    const b = obsApp([HelloController], { env: { ENVIRONMENT: 'TEST', CIRCLE_BUILD_NUM: '77', GIT_COMMIT: 'abcdef0' } }).app;
    expect(await (await b.fetch(get('/version'))).json()).toEqual({ circle: '77', hash: 'abcdef0' });
  });

  it('GET /version prefers monitoring.version given in code', async () => {
    const { app } = obsApp([HelloController], {
      env: { ENVIRONMENT: 'TEST', BUILD_NUMBER: '1' },
      monitoring: { version: { circle: '42', hash: 'feedbee' } },
    });
    expect(await (await app.fetch(get('/version'))).json()).toEqual({ circle: '42', hash: 'feedbee' });
  });

  it('GET /healthcheck answers 200 with no checks registered', async () => {
    const { app } = obsApp([HelloController]);
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: {} });
  });

  it('GET /healthcheck answers 200 with each check status and latency', async () => {
    const { app } = obsApp([HelloController], {}, withChecks([{ name: 'cache', check: async () => {} }]));
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthReport;
    expect(body.status).toBe('ok');
    expect(body.checks.cache.status).toBe('ok');
    expect(typeof body.checks.cache.latency_ms).toBe('number');
  });

  it('GET /healthcheck answers 503 after its timeout when a check hangs, and names it', async () => {
    const checks = [
      { name: 'database', timeoutMs: 150, check: never },
      { name: 'cache', check: async () => {} },
    ];
    const { app, logger } = obsApp([HelloController], {}, withChecks(checks));
    // the check never settles: only the timeout can answer, so a probe that ignored it would hang past the test's timeout
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthReport;
    expect(body.status).toBe('fail');
    expect(body.checks.database).toMatchObject({ status: 'fail', error: 'timeout' });
    expect(body.checks.database.latency_ms).toBeGreaterThanOrEqual(140);
    expect(body.checks.cache.status).toBe('ok');
    expect(logger.lines.some((l) => l.message === 'healthcheck timed out' && l.fields?.check === 'database')).toBe(true);
  }, 10_000);

  it('GET /healthcheck answers 503 when a check throws, keeping the error out of the body', async () => {
    const secret = 'postgres://admin:hunter2@db.internal:5432/prod';
    const checks = [
      { name: 'async', check: async () => Promise.reject(new Error(`connect failed ${secret}`)) },
      {
        name: 'sync',
        check: () => {
          throw new TypeError('not even a promise');
        },
      },
    ];
    const { app, logger } = obsApp([HelloController], {}, withChecks(checks));
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('not even a promise');
    const body = JSON.parse(text) as HealthReport;
    expect(body.checks.async).toMatchObject({ status: 'fail', error: 'error' });
    expect(body.checks.sync).toMatchObject({ status: 'fail', error: 'error' });
    expect(logger.lines.filter((l) => l.message === 'healthcheck failed')).toHaveLength(2);
  });

  it('treats an absurd timeout as the default instead of failing the check at once', async () => {
    const checks = [
      { name: 'huge', timeoutMs: 1e12, check: () => new Promise<void>((r) => setTimeout(r, 30)) },
      { name: 'nan', timeoutMs: Number.NaN, check: () => new Promise<void>((r) => setTimeout(r, 30)) },
    ];
    const { app } = obsApp([HelloController], {}, withChecks(checks));
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(200);
  });

  it('keeps /running at 200 while a readiness check fails (liveness is not readiness: a restart would not fix a dependency)', async () => {
    const { app } = obsApp([HelloController], {}, withChecks([{ name: 'database', timeoutMs: 100, check: never }]));
    let healthAnswered = false;
    const health = app.fetch(get('/healthcheck')).then((res) => {
      healthAnswered = true;
      return res;
    });
    const running = await app.fetch(get('/running'));
    expect(running.status).toBe(200);
    // /running answered while the readiness check was still waiting on its timeout
    expect(healthAnswered).toBe(false);
    expect((await health).status).toBe(503);
    expect((await app.fetch(get('/hello'))).status).toBe(200);
  }, 10_000);

  it("runs checks given as monitoring.checks next to the batteries' ones", async () => {
    const { app } = obsApp(
      [HelloController],
      { monitoring: { checks: [{ name: 'upstream', timeoutMs: 100, check: never }] } },
      withChecks([{ name: 'database', check: async () => {} }]),
    );
    const res = await app.fetch(get('/healthcheck'));
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthReport;
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'upstream']);
    expect(body.checks.upstream).toMatchObject({ status: 'fail', error: 'timeout' });
  });

  it('refuses, at start-up, two readiness checks with one name, naming it', () => {
    const ok = async () => {};
    expect(() =>
      obsApp([HelloController], {
        monitoring: {
          checks: [
            { name: 'cache', check: ok },
            { name: 'cache', check: never },
          ],
        },
      }),
    ).toThrow(
      new TypeError('healthcheck "cache" is registered twice: each check needs its own name (the /healthcheck report is keyed by it)'),
    );
    // a battery that registers after the observability battery: the same refusal
    expect(() =>
      obsApp(
        [HelloController],
        {},
        withChecks([
          { name: 'queue', check: ok },
          { name: 'queue', check: ok },
        ]),
      ),
    ).toThrow(/healthcheck "queue" is registered twice/);
    expect(() =>
      obsApp([HelloController], { monitoring: { checks: [{ name: 'queue', check: ok }] } }, withChecks([{ name: 'queue', check: never }])),
    ).toThrow(/healthcheck "queue" is registered twice/);
  });

  it("refuses a monitoring.checks entry named like the database battery's own check", async () => {
    const db = {
      query: async () => ({ rows: [] }),
      transaction: async () => {},
      ping: async () => {},
      close: async () => {},
    } as unknown as Database;
    const down = { name: 'database', check: never, timeoutMs: 50 };
    expect(() => obsApp([HelloController], { database: db, monitoring: { checks: [down] } })).toThrow(
      /healthcheck "database" is registered twice/,
    );
    // with distinct names both are reported
    const { app } = obsApp([HelloController], { database: db, monitoring: { checks: [{ ...down, name: 'replica' }] } });
    const body = (await (await app.fetch(get('/healthcheck'))).json()) as HealthReport;
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.replica.status).toBe('fail');
  });

  it('shares one run between concurrent /healthcheck probes', async () => {
    let runs = 0;
    const check = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
    };
    const { app } = obsApp([HelloController], {}, withChecks([{ name: 'slow', check }]));
    const answers = await Promise.all(Array.from({ length: 5 }, () => app.fetch(get('/healthcheck'))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(runs).toBe(1);
    await app.fetch(get('/healthcheck'));
    expect(runs).toBe(2);
  });

  it('answers HEAD /running like GET without a body', async () => {
    const { app } = obsApp([HelloController]);
    const res = await app.fetch(get('/running', { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('leaves out all four routes with testing: true', async () => {
    const { app } = obsApp([HelloController], { testing: true });
    for (const path of ['/running', '/version', '/healthcheck', '/metrics']) expect((await app.fetch(get(path))).status).toBe(404);
    expect((await app.fetch(get('/hello'))).status).toBe(200);
  });

  it('leaves out /running, /version and /healthcheck with monitoring: false, keeping /metrics', async () => {
    const { app } = obsApp([HelloController], { monitoring: false });
    for (const path of ['/running', '/version', '/healthcheck']) expect((await app.fetch(get(path))).status).toBe(404);
    expect((await app.fetch(get('/metrics'))).status).toBe(200);
  });
});
