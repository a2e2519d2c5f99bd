import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp, type Database, silentLogger, sql } from '../../src/index.ts';
import { type DriverName, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

const drivers: DriverName[] = skipWithoutPostgres('the value-type tests on pg') ? ['pglite'] : ['pglite', 'pg'];

// east of UTC, where a date read as local midnight turned into the day before
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe.each(drivers)('values in and out on %s', (driver) => {
  let target: Target;
  let app: App;
  let db: Database;
  beforeAll(async () => {
    target = await startTarget(driver, 'fb_value_types');
    const migrations = [{ id: '001-doc', sql: 'create table doc (born date, days date[], meta jsonb, note text, tags text[])' }];
    app = createApp({ env: target.env, database: { migrations }, docs: false, logger: silentLogger });
    db = app.db as Database;
    // PGlite's start and the migration, here rather than in the first test's time
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await target?.close();
  });

  it('returns a date as its YYYY-MM-DD text, whatever the time zone', async () => {
    const row = await db.one(sql`select '2000-01-01'::date as d, array['2000-01-01'::date, null] as ds`);
    expect(row).toEqual({ d: '2000-01-01', ds: ['2000-01-01', null] });
    await db.query(sql`insert into doc (born, days) values (${'2024-02-29'}, ${['2024-03-01']})`);
    expect(await db.one(sql`select born, days from doc where born is not null`)).toEqual({ born: '2024-02-29', days: ['2024-03-01'] });
  });

  it('returns numeric and numeric[] as their exact text on every driver (pg made the array floats)', async () => {
    const big = '12345678901234567890.123456789';
    expect(await db.one(sql`select ${big}::numeric as n, array[${big}::numeric, 0.1, null] as ns`)).toEqual({
      n: big,
      ns: [big, '0.1', null],
    });
  });

  it('counts exec() time in the Server-Timing db phase, as query() is', async () => {
    const { Controller, Db, Get } = await import('../../src/index.ts');
    @Controller('/')
    class Slow {
      @Get('/exec', Db())
      async exec(handle: Database) {
        await handle.exec('select pg_sleep(0.05)');
        return { ok: true };
      }
    }
    const timed = createApp({ env: target.env, database: true, testing: true, docs: false, logger: silentLogger, controllers: [Slow] });
    const res = await timed.fetch(new Request('http://h/exec'));
    expect(res.status).toBe(200);
    // the phase is there at all (it was missing: only total and handler)
    expect(res.headers.get('server-timing')).toMatch(/, db;dur=\d/);
    await timed.close();
  });

  it('binds a plain object as JSON, an array as a PostgreSQL array', async () => {
    const meta = { x: [1, 2], y: { z: 'a' } };
    await db.query(sql`insert into doc (meta, note, tags) values (${meta}, ${{ x: 1 }}, ${['a', 'b"c']})`);
    expect(await db.one(sql`select meta, note, tags from doc where meta is not null`)).toEqual({
      meta,
      note: '{"x":1}',
      tags: ['a', 'b"c'],
    });
    // a JSON array goes in as its text
    expect(await db.one(sql`select ${JSON.stringify([{ x: 1 }])}::jsonb as j`)).toEqual({ j: [{ x: 1 }] });
  });
});
