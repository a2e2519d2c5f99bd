import { afterAll, describe, expect, it } from 'vitest';
import { type App, Controller, createApp, type Database, Db, Get, type Migration, sql } from '../../src/index.ts';
import { call } from './suite-support.ts';
import { type DriverName, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

@Controller('/kv')
class KvController {
  @Get('/')
  list(@Db() db: Database) {
    return db.many(sql`select k from kv order by k`);
  }
}

/** A logger that keeps its error lines as text, to assert what an operator would read. */
function errorLog() {
  const lines: string[] = [];
  const none = () => {};
  return {
    lines,
    logger: {
      debug: none,
      info: none,
      warn: none,
      error: (msg: string, fields?: unknown) => lines.push(`${msg} ${JSON.stringify(fields)}`),
    },
  };
}

const withDuplicates: Migration = { id: '001-kv', sql: "create table kv (k text, v text); insert into kv values ('a', null), ('a', null)" };

// each failing migration raised a 23xxx SQLSTATE, which a caller used to see as their own 409 or 400
const CASES = [
  { id: '002-unique', sql: 'create unique index kv_k on kv (k)', driverMessage: /could not create unique index/ },
  { id: '002-not-null', sql: 'alter table kv alter column v set not null', driverMessage: /contains null values/ },
];

const drivers: DriverName[] = skipWithoutPostgres('the failing-migration tests on pg') ? ['pglite'] : ['pglite', 'pg'];

describe.each(drivers)('a failing migration on %s', (driver) => {
  const targets: Target[] = [];
  const apps: App[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(targets.map((t) => t.close()));
  });

  it.each(CASES)(
    'answers 500 "Query error" and logs migration $id with the driver message',
    async (failing) => {
      const target = await startTarget(driver, `fb_migfail_${failing.id.replace(/-/g, '_')}`);
      targets.push(target);
      const log = errorLog();
      const app = createApp({
        controllers: [KvController],
        env: target.env,
        database: { migrations: [withDuplicates, failing] },
        docs: false,
        logger: log.logger,
      });
      apps.push(app);

      const res = await call(app, 'GET', '/kv');
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: 'Query error' });
      expect(log.lines.join('\n')).toMatch(
        new RegExp(`migrations refused.*Migration ${failing.id} failed: .*${failing.driverMessage.source}`),
      );
      // every later statement answers the same until the migration is fixed
      expect((await call(app, 'GET', '/kv')).status).toBe(500);
    },
    60_000,
  );

  it('keeps the driver error as the cause of a 409 and a 400, for the log', async () => {
    const target = await startTarget(driver, 'fb_migfail_cause');
    targets.push(target);
    const app = createApp({
      env: target.env,
      database: { migrations: [{ id: '001-u', sql: 'create table u (k text unique not null)' }] },
      docs: false,
    });
    apps.push(app);
    const db = app.db as Database;
    await db.query(sql`insert into u values ('a')`);
    const conflict = await db.query(sql`insert into u values ('a')`).catch((e: Error) => e);
    expect(conflict).toMatchObject({
      status: 409,
      message: 'Resource already exists',
      cause: { message: expect.stringMatching(/duplicate key/) },
    });
    const missing = await db.query(sql`insert into u values (${null})`).catch((e: Error) => e);
    expect(missing).toMatchObject({ status: 400, cause: { message: expect.stringMatching(/null value/) } });
  }, 60_000);
});
