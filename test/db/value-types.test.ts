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
