import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, type Battery, createApp, type Database, databaseBattery, type HealthCheck } from '../../src/index.ts';
import { postgresAddress } from '../support/postgres.ts';
import { createDbApp } from './app.ts';
import { admin, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

// The shared PostgreSQL cluster is never stopped here (other suites use it): server loss is
// simulated with pg_terminate_backend and with a closed port.

async function call(app: App, method: string, path: string) {
  const res = await app.fetch(new Request(`http://test${path}`, { method }));
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

/** Captures the health checks batteries register, as the /healthcheck route reads them. */
function healthProbe(): { battery: Battery; checks: HealthCheck[] } {
  const checks: HealthCheck[] = [];
  return {
    checks,
    battery: {
      name: 'probe',
      start: (ctx) => {
        checks.push(...ctx.healthchecks);
        return {};
      },
    },
  };
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

const DOWN = { message: 'Database connection failed: Service unavailable' };

const skip = skipWithoutPostgres('the database fault tests (pg, neon)');

describe.skipIf(skip).each(['pg', 'neon'] as const)('database faults on %s', (driver) => {
  let target: Target;
  const apps: App[] = [];
  const appWith = (extra: Record<string, string> = {}) => {
    const app = createDbApp({ ...target.env, ...extra });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    target = await startTarget(driver, `fb_faults_${driver}`);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await target.close();
  });

  it('database down at start: routes answer 503 and the health check fails within its timeout', async () => {
    const probe = healthProbe();
    const url = new URL(target.url as string);
    url.port = '1'; // nothing listens there
    const app = createDbApp({ ...target.env, DATABASE_URL: url.toString() }, {});
    apps.push(app);
    expect(await call(app, 'GET', '/items')).toEqual({ status: 503, json: DOWN });
    const probed = createApp({ env: { ...target.env, DATABASE_URL: url.toString() }, database: true }, [databaseBattery(), probe.battery]);
    apps.push(probed);
    const check = probe.checks.find((c) => c.name === 'database') as HealthCheck;
    expect(check.timeoutMs).toBe(1500);
    await expect(check.check()).rejects.toMatchObject({ status: 503 });
  });

  it('database down at start: /running 200, /healthcheck 503 with the database check failed, never hanging', async () => {
    const url = new URL(target.url as string);
    url.port = '1';
    const app = appWith({ DATABASE_URL: url.toString() });
    expect(await call(app, 'GET', '/running')).toEqual({ status: 200, json: { running: true } });
    const health = await call(app, 'GET', '/healthcheck');
    expect(health.status).toBe(503);
    expect(health.json.checks.database).toMatchObject({ status: 'fail' });
    expect(await call(app, 'GET', '/items/count')).toEqual({ status: 503, json: DOWN });
  });

  it('/healthcheck answers 200 with the database check when PostgreSQL is up', async () => {
    const app = appWith();
    // the first statement connects and migrates (slow under load); the check itself is one ping
    expect((await call(app, 'GET', '/items/count')).status).toBe(200);
    const health = await call(app, 'GET', '/healthcheck');
    expect(health.status).toBe(200);
    expect(health.json.checks.database).toMatchObject({ status: 'ok' });
  });

  it('reconnects after pg_terminate_backend killed every pooled connection', async () => {
    const app = appWith({ DATABASE_URL: withAppName(target.url as string, `fb_kill_${driver}`) });
    await Promise.all([call(app, 'GET', '/items/sleep/50'), call(app, 'GET', '/items/sleep/50'), call(app, 'GET', '/items')]);
    const db = app.db as Database;
    expect(db.stats().total).toBeGreaterThan(0);
    const killed = await admin(target.url as string, 'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      `fb_kill_${driver}`,
    ]);
    expect(killed.length).toBeGreaterThan(0);
    await waitFor(() => db.stats().total === 0);
    expect(await call(app, 'GET', '/items')).toMatchObject({ status: 200 });
  });

  it('connection lost inside a transaction: 503, nothing committed, the next request works', async () => {
    const app = appWith();
    const res = await call(app, 'POST', '/items/tx-lost');
    expect(res).toEqual({ status: 503, json: DOWN });
    const rows = await admin(target.url as string, `select name from item where name like 'lost-write%'`);
    expect(rows).toEqual([]);
    expect(await call(app, 'GET', '/items/count')).toMatchObject({ status: 200 });
  });

  it('connection killed between two statements of a transaction: 503, process up, nothing committed', async () => {
    const app = appWith();
    const db = app.db as Database;
    await db.ping();
    const attempt = db.transaction(async (tx) => {
      await tx.query(`insert into item (name) values ('between-a')`);
      const { pid } = (await tx.one<{ pid: number }>('select pg_backend_pid() as pid')) as { pid: number };
      await admin(target.url as string, 'select pg_terminate_backend($1)', [pid]);
      // let the client see the termination while it is idle and checked out
      await new Promise((r) => setTimeout(r, 200));
      await tx.query(`insert into item (name) values ('between-b')`);
    });
    await expect(attempt).rejects.toMatchObject({ status: 503, message: DOWN.message });
    expect(await admin(target.url as string, `select name from item where name like 'between-%'`)).toEqual([]);
    expect(await call(app, 'GET', '/items/count')).toMatchObject({ status: 200 });
  });

  it('a statement over DATABASE_STATEMENT_TIMEOUT_MS is cancelled by the server: 503 "Database query timed out"', async () => {
    const app = appWith({ DATABASE_STATEMENT_TIMEOUT_MS: '500' });
    expect(await call(app, 'GET', '/items/sleep/4000')).toEqual({ status: 503, json: { message: 'Database query timed out' } });
    expect(await call(app, 'GET', '/items/count')).toMatchObject({ status: 200 });
  });

  it('pool exhausted: waiters get 503 after the acquire timeout and no client leaks', async () => {
    const app = appWith({ DATABASE_POOL_SIZE: '2', DATABASE_ACQUIRE_TIMEOUT_MS: '1000' });
    // migrations done and both connections open (idle) before the race, so only waiting is timed
    // (connecting can exceed the 1 s acquire timeout on a loaded machine: retry the warm-up, bounded)
    for (let i = 0; i < 10 && (app.db as Database).stats().idle < 2; i++) {
      await Promise.all([call(app, 'GET', '/items/sleep/50'), call(app, 'GET', '/items/sleep/50')]);
    }
    expect((app.db as Database).stats()).toMatchObject({ total: 2, idle: 2 });
    const results = await Promise.all(Array.from({ length: 5 }, () => call(app, 'GET', '/items/sleep/2500')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503, 503]);
    expect(results.find((r) => r.status === 503)?.json).toEqual(DOWN);
    const stats = (app.db as Database).stats();
    expect(stats.waiting).toBe(0);
    expect(stats.idle).toBe(stats.total);
    expect(await call(app, 'GET', '/items')).toMatchObject({ status: 200 });
  });

  it('close() while the driver is still opening: the statement gets 503 and no connection is left open', async () => {
    const name = `fb_close_open_${driver}`;
    // no migrations: the first statement itself opens the pool
    const app = createApp({ env: { ...target.env, DATABASE_URL: withAppName(target.url as string, name) }, database: true }, [
      databaseBattery(),
    ]);
    apps.push(app);
    const db = app.db as Database;
    const pending = db.query('select 1');
    await db.close();
    await expect(pending).rejects.toMatchObject({ status: 503, message: DOWN.message });
    expect(db.stats()).toMatchObject({ total: 0 });
    await waitFor(() => false, 200);
    expect(await admin(target.url as string, 'select pid from pg_stat_activity where application_name = $1', [name])).toEqual([]);
  });

  it('a server that stops answering mid-statement: 503 after the statement timeout plus the acquire timeout, never a hang', async () => {
    // a TCP hop that can swallow every byte both ways, as a hung host or a dropped network does
    let silent = false;
    const postgres = postgresAddress();
    const hop = net.createServer((client) => {
      const server = net.connect(postgres.port, postgres.host);
      client.on('data', (d) => silent || server.write(d));
      server.on('data', (d) => silent || client.write(d));
      for (const [a, b] of [
        [client, server],
        [server, client],
      ]) {
        a.on('error', () => undefined);
        a.on('close', () => b.destroy());
      }
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = new URL(target.url as string);
      url.port = String((hop.address() as net.AddressInfo).port);
      const app = createApp(
        {
          env: { ...target.env, DATABASE_URL: url.toString(), DATABASE_STATEMENT_TIMEOUT_MS: '500', DATABASE_ACQUIRE_TIMEOUT_MS: '1000' },
          database: true,
        },
        [databaseBattery()],
      );
      apps.push(app);
      const db = app.db as Database;
      await db.ping();
      silent = true;
      const t0 = Date.now();
      // nothing answers but the timeouts: a query that ignored them would hang past the test's timeout
      const outcome = await db.query('select 1').then(
        () => 'answered',
        (error: { status?: number; message?: string }) => ({ status: error.status, message: error.message }),
      );
      expect(outcome).toEqual({ status: 503, message: DOWN.message });
      // the 503 comes from the timeouts (500 ms statement, 1000 ms acquire), not from an early failure
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
      await waitFor(() => db.stats().total === 0, 2000);
      expect(db.stats()).toMatchObject({ total: 0, waiting: 0 });
    } finally {
      hop.close();
    }
  }, 15_000);

  it('twenty failing queries on a pool of one, then a good query succeeds', async () => {
    // a generous acquire timeout: the twentieth waiter queues behind nineteen statements
    const app = appWith({ DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '10000' });
    const failures = await Promise.all(Array.from({ length: 20 }, () => call(app, 'GET', '/items/broken-sql')));
    expect(new Set(failures.map((f) => f.status))).toEqual(new Set([500]));
    expect(await call(app, 'GET', '/items/count')).toMatchObject({ status: 200 });
    expect((app.db as Database).stats()).toMatchObject({ total: 1, idle: 1, waiting: 0 });
  });
});

function withAppName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}
