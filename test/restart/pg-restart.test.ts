import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Controller, createApp, type Database, Db, Get, silentLogger, sql } from '../../src/index.ts';
import { postgresAddress, skipWithoutPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';

// Stops and starts the real PostgreSQL 15 cluster while an app runs: requests fail fast while
// it is down and work again right after it is back, with no dead connection reused. It has
// its own vitest run after every other suite (vitest.restart.config.ts): no other test may be
// using the server while it is down. Needs TEST_DATABASE_URL and root (pg_ctlcluster).
const url = TEST_DATABASE_URL;
const controllable =
  !skipWithoutPostgres('the PostgreSQL restart test') && process.getuid?.() === 0 && existsSync('/usr/bin/pg_ctlcluster');
if (!controllable && url !== undefined) {
  if (process.env.CI === 'true') throw new Error('PostgreSQL restart test cannot run in CI: pg_ctlcluster needs root');
  console.log('PostgreSQL restart test skipped: pg_ctlcluster needs root');
}

const cluster = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['15', 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);

@Controller('/')
class ProbeController {
  @Get('/one')
  async one(@Db() db: Database) {
    return db.one(sql`select 1::int as one`);
  }
}

describe.skipIf(!controllable)('PostgreSQL stopped and started while the app runs', () => {
  const app = createApp({
    // the acquire timeout also bounds connecting: the first connection after a restart gets the default margin
    env: { ENVIRONMENT: 'TEST', DATABASE_URL: url ?? '', DATABASE_POOL_SIZE: '4', DATABASE_ACQUIRE_TIMEOUT_MS: '5000' },
    database: true,
    controllers: [ProbeController],
    logger: silentLogger,
  });
  const get = (path: string) => app.fetch(new Request(`http://test${path}`));
  let stopped = false;

  afterAll(async () => {
    if (stopped) cluster('start');
    await app.close();
  });

  it('answers 503 while the server is down, /running stays 200, and the first request after it is back reconnects', async () => {
    const db = app.db as Database;
    expect((await get('/one')).status).toBe(200);
    // warm several pooled connections so the restart has some to kill
    await Promise.all([get('/one'), get('/one'), get('/one')]);
    expect(db.stats().total).toBeGreaterThan(1);

    cluster('stop');
    stopped = true;
    const down = await get('/one');
    expect(down.status).toBe(503);
    expect((await down.json()).message).toMatch(/^Database connection failed/);
    expect((await get('/running')).status).toBe(200);
    expect((await get('/healthcheck')).status).toBe(503);
    // a fast shutdown sends every backend's client a 57P01 and closes it: the pool drops each one
    // (idle ones through its error listener) instead of keeping it for a later request
    const until = Date.now() + 5000;
    while (db.stats().total > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(db.stats()).toMatchObject({ total: 0, waiting: 0 });

    cluster('start');
    stopped = false;
    const { host, port } = postgresAddress();
    execFileSync('pg_isready', ['-h', host, '-p', String(port), '-t', '30']);
    // no dead connection is left to fail on: the very next request opens a fresh one
    expect((await get('/one')).status).toBe(200);
    expect((await get('/healthcheck')).status).toBe(200);
    const after = await Promise.all([get('/one'), get('/one'), get('/one')]);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
  });
});
