import { beforeAll, expect, it } from 'vitest';
import { type App, type Database, sql } from '../../src/index.ts';
import { call, type SuiteContext } from './suite-support.ts';

/** Rows through @Db(): parameters, 404, bigints, Server-Timing. */
export function rowCases(suite: SuiteContext): void {
  let app: App;
  // runs after the suite's own beforeAll, which started the target and the app
  beforeAll(() => {
    app = suite.app;
  });

  it('runs the migrations on first use and creates rows through @Db()', async () => {
    const res = await call(app, 'POST', '/items', { name: 'apple', qty: 3 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'apple', qty: 3, label: '' });
    const got = await call(app, 'GET', '/items/by-name/apple');
    expect(got.json).toMatchObject({ name: 'apple', qty: 3 });
  });

  it('binds interpolated values, so SQL in a parameter is just text', async () => {
    const res = await call(app, 'GET', `/items/by-name/${encodeURIComponent("x' or '1'='1")}`);
    expect(res.status).toBe(404);
  });

  it('answers 404 through the handler when one() finds no row', async () => {
    expect((await call(app, 'GET', '/items/by-name/nothing')).json).toEqual({ message: 'Item nothing not found' });
  });

  it('serialises count(*) and bigint columns to JSON (number when safe, string beyond)', async () => {
    const res = await call(app, 'GET', '/items/count');
    expect(res.status).toBe(200);
    expect(typeof res.json.count).toBe('number');
    expect(res.json.small).toBe(42);
    expect(res.text).toContain('"big":"9007199254740993"');
  });

  it('returns int8[] elements as numbers when safe and bigints beyond, as int8 itself (JSON: strings beyond)', async () => {
    const db = app.db as Database;
    const row = await db.one(sql`select array[1, 9007199254740993, null]::int8[] as a, '{{1,2},{3,-4}}'::int8[] as m, '{}'::int8[] as e`);
    expect(row).toEqual({
      a: [1, 9007199254740993n, null],
      m: [
        [1, 2],
        [3, -4],
      ],
      e: [],
    });
    const res = await call(app, 'GET', '/items/count');
    expect(res.text).toContain('"ids":[42,"9007199254740993",null]');
  });

  it('reports the db phase in Server-Timing', async () => {
    const res = await call(app, 'GET', '/items');
    expect(res.headers.get('server-timing')).toMatch(/db;dur=[\d.]+/);
  });
}

/** Identifier columns, the modified trigger, and app.db with sql fragments. */
export function identifierCases(suite: SuiteContext): void {
  const { driver } = suite;
  let app: App;
  // runs after the suite's own beforeAll, which started the target and the app
  beforeAll(() => {
    app = suite.app;
  });

  it('writes identifier columns and packs them as the Python ModelIdentifier does', async () => {
    const res = await call(app, 'POST', '/items/notes');
    expect(res.json).toMatchObject({ created_by: 'user-1', modified_by: 'system', body: 'hello' });
    expect(res.json.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(res.json.created).toISOString()).toBe(res.json.created);
    expect((await call(app, 'GET', `/items/uuid/${res.json.uuid}`)).json).toMatchObject({ body: 'hello' });
  });

  it('moves modified when a row is updated (identifierTrigger), keeping created and an explicit modified', async () => {
    const db = app.db as Database;
    const hourAgo = sql`now() - interval '1 hour'`;
    const old = (await db.one<{ uuid: string; created: Date }>(
      sql`insert into note (body, created, modified) values (${'before'}, ${hourAgo}, ${hourAgo}) returning uuid, created`,
    )) as { uuid: string; created: Date };
    const res = await call(app, 'PATCH', `/items/notes/${old.uuid}`, { body: 'after' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ body: 'after', created: old.created.toISOString() });
    const modified = new Date(res.json.modified).getTime();
    expect(modified - old.created.getTime()).toBeGreaterThan(30 * 60_000);
    expect(Math.abs(modified - Date.now())).toBeLessThan(60_000);
    await db.query(sql`update note set modified = ${'2001-02-03T04:05:06Z'} where uuid = ${old.uuid}`);
    const kept = await db.one<{ modified: Date }>(sql`select modified from note where uuid = ${old.uuid}`);
    expect(kept?.modified.toISOString()).toBe('2001-02-03T04:05:06.000Z');
  });

  it('exposes the database as app.db with sql fragments, ids and joins', async () => {
    const db = app.db as Database;
    const names = ['apple', 'dup-secret-value'];
    const where = sql`name in (${sql.join(names)})`;
    const rows = await db.many<{ name: string }>(sql`select ${sql.id('name')} from item where ${where} order by name`);
    expect(rows.map((r) => r.name)).toEqual(names);
    await db.ping();
    expect(db.driver).toBe(driver);
  });
}
