import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp, type Database, dropData, migrate, silentLogger, sql } from '../../src/index.ts';
import { createDbApp, ItemController, migrations } from './app.ts';
import { admin, type DriverName, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

async function call(app: App, method: string, path: string, body?: unknown) {
  const res = await app.fetch(
    new Request(`http://test${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const tableExists = (db: Database, name: string) =>
  db.one(sql`select 1 as found from pg_tables where tablename = ${name} and schemaname = current_schema()`);
const RETRY = { message: 'Database transaction conflict: retry the request' };
const BAD_CHARACTER = { message: 'A value contains a character that cannot be stored' };

/** The one database suite, run by pglite.test.ts, pg.test.ts and neon.test.ts. */
export function databaseSuite(driver: DriverName): void {
  const needsServer = driver !== 'pglite';
  const skip = needsServer && skipWithoutPostgres(`the database suite on ${driver} (it runs on PGlite only)`);

  describe.skipIf(skip)(`Database on ${driver}`, () => {
    let target: Target;
    let app: App;

    beforeAll(async () => {
      target = await startTarget(driver, `fb_suite_${driver}`);
      app = createDbApp(target.env);
      // the first statement starts PGlite (seconds) and runs the migrations
      await (app.db as Database).ping();
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await target?.close();
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

    it('answers 409 with our own message on a unique violation, never the driver detail', async () => {
      await call(app, 'POST', '/items', { name: 'dup-secret-value' });
      const res = await call(app, 'POST', '/items', { name: 'dup-secret-value' });
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ message: 'Resource already exists' });
      expect(res.text).not.toContain('secret');
    });

    it('answers 409 on a foreign-key violation', async () => {
      const res = await call(app, 'POST', '/items', { name: 'orphan', parent_id: 999999 });
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ message: 'Conflicts with a related resource' });
    });

    it.each([
      ['a not-null violation', { name: null }, 'A required value is missing'],
      ['a check violation', { name: 'neg', qty: -1 }, 'A value does not satisfy a check constraint'],
      ['a value too long', { name: 'long', code: 'abcdefgh' }, 'A value is too long'],
    ])('answers 400 on %s', async (_what, body, message) => {
      const res = await call(app, 'POST', '/items', body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ message });
    });

    it('answers 400 on an invalid UUID literal (22P02)', async () => {
      const res = await call(app, 'GET', '/items/uuid/not-a-uuid');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ message: 'Invalid value' });
    });

    it('answers 400 with our own message on a NUL in a text value (22021), never the driver text', async () => {
      const res = await call(app, 'POST', '/items', { name: 'nul\u0000here' });
      expect(res.status).toBe(400);
      expect(res.json).toEqual(BAD_CHARACTER);
      expect((await call(app, 'GET', '/items')).json.map((r: { name: string }) => r.name)).not.toContain('nul');
    });

    it('answers 400 on a NUL in a JSON string bound for jsonb (22P05)', async () => {
      expect(await call(app, 'POST', '/items/doc', { note: 'plain' })).toMatchObject({ status: 200, json: { doc: { note: 'plain' } } });
      const res = await call(app, 'POST', '/items/doc', { note: 'nul\u0000here' });
      expect(res.status).toBe(400);
      expect(res.json).toEqual(BAD_CHARACTER);
    });

    it.each([
      ['a serialization failure', '40001'],
      ['a deadlock', '40P01'],
    ])('answers 503 with Retry-After: 1 on %s (%s)', async (_what, code) => {
      const res = await call(app, 'GET', `/items/raise/${code}`);
      expect(res.status).toBe(503);
      expect(res.json).toEqual(RETRY);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.text).not.toContain('on purpose');
    });

    // PGlite has one connection: two transactions never overlap there
    it.skipIf(!needsServer)('two serializable transactions in write skew: one commits, the other is a 503 to retry', async () => {
      const db = app.db as Database;
      let reads = 0;
      let bothRead!: () => void;
      const barrier = new Promise<void>((resolve) => {
        bothRead = resolve;
      });
      const attempt = (name: string) =>
        db.transaction(async (tx) => {
          await tx.query('set transaction isolation level serializable');
          await tx.one(`select count(*) as n from item where name like 'skew-%'`);
          if (++reads === 2) bothRead();
          await barrier;
          await tx.query(sql`insert into item (name) values (${name})`);
        });
      const results = await Promise.allSettled([attempt('skew-a'), attempt('skew-b')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failure = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
      expect(failure).toMatchObject({ status: 503, ...RETRY, sqlState: '40001', headers: { 'retry-after': '1' } });
      expect(await db.many(`select name from item where name like 'skew-%'`)).toHaveLength(1);
    });

    it('answers 500 "Query error" on any other failure, without the SQL', async () => {
      const res = await call(app, 'GET', '/items/broken-sql');
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: 'Query error' });
    });

    it('rolls a failed transaction back: nothing it wrote stays', async () => {
      const res = await call(app, 'POST', '/items/tx-fail');
      expect(res.status).toBe(409);
      expect((await call(app, 'GET', '/items/by-name/tx-a')).status).toBe(404);
    });

    it('a statement error the callback swallows fails the transaction instead of a silent rollback', async () => {
      const db = app.db as Database;
      await db.query(`insert into item (name) values ('tx-swallow-taken')`);
      const attempt = db.transaction(async (tx) => {
        await tx.query(`insert into item (name) values ('tx-swallow-a')`);
        await tx.query(`insert into item (name) values ('tx-swallow-taken')`).catch(() => undefined);
        return 'ok';
      });
      await expect(attempt).rejects.toMatchObject({ status: 409, message: 'Resource already exists' });
      expect((await call(app, 'GET', '/items/by-name/tx-swallow-a')).status).toBe(404);
      // undone by a nested transaction (a savepoint), the error no longer fails the outer one
      const kept = await db.transaction(async (tx) => {
        await tx.query(`insert into item (name) values ('tx-swallow-b')`);
        await tx.transaction((sp) => sp.query(`insert into item (name) values ('tx-swallow-taken')`)).catch(() => undefined);
        return 'ok';
      });
      expect(kept).toBe('ok');
      expect((await call(app, 'GET', '/items/by-name/tx-swallow-b')).status).toBe(200);
    });

    it('commits a transaction and returns the callback value', async () => {
      const res = await call(app, 'POST', '/items/tx-ok');
      expect(res.json).toEqual({ count: 1 });
    });

    it('does not hang when the outer handle is used inside a transaction', async () => {
      const res = await call(app, 'POST', '/items/tx-outer');
      // PGlite has one connection: the outer handle waits for it and gives up after the acquire timeout
      if (driver === 'pglite') expect(res.json).toEqual({ message: 'Database connection failed: Service unavailable' });
      else expect(res.json).toEqual({ one: 1 });
      expect((await call(app, 'GET', '/items/count')).status).toBe(200);
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

    it('records migrations once: running them again applies nothing', async () => {
      const db = app.db as Database;
      expect(await migrate(db, migrations)).toEqual([]);
      const recorded = await db.many<{ id: string; checksum: string }>('select id, checksum from fetch_batteries_migrations order by id');
      expect(recorded).toEqual(migrations.map((m) => ({ id: m.id, checksum: sha256(m.sql) })));
    });

    it('refuses to migrate when an applied migration was edited, naming it, and applies nothing', async () => {
      const db = app.db as Database;
      const edited = [migrations[0], { ...migrations[1], sql: `${migrations[1].sql} -- edited` }, ...migrations.slice(2)];
      const next = { id: '009-after-edit', sql: 'create table after_edit (id int)' };
      await expect(migrate(db, [...edited, next])).rejects.toThrow(/^Migration 002-item-label was applied with different SQL/);
      expect(await tableExists(db, 'after_edit')).toBeUndefined();
    });

    it('refuses a new migration listed before one already applied (out of order), naming it', async () => {
      const db = app.db as Database;
      const table = { table: 'order_migrations' };
      const m = (id: string) => ({ id, sql: `create table ${id.replace('-', '_')} (id int)` });
      expect(await migrate(db, [m('o-1'), m('o-3')], table)).toEqual(['o-1', 'o-3']);
      await expect(migrate(db, [m('o-1'), m('o-2'), m('o-3')], table)).rejects.toThrow(
        /^Migration o-2 is not applied but comes before o-3, which is/,
      );
      expect(await tableExists(db, 'o_2')).toBeUndefined();
      expect(await migrate(db, [m('o-1'), m('o-3'), m('o-4')], table)).toEqual(['o-4']);
    });

    it('adds the checksum column to a migrations table recorded without one, then checks those ids too', async () => {
      const db = app.db as Database;
      await db.exec(`create table legacy_migrations (id text primary key, applied timestamptz not null default now());
        insert into legacy_migrations (id) values ('l-1')`);
      const list = [
        { id: 'l-1', sql: 'create table legacy_one (id int)' },
        { id: 'l-2', sql: 'create table legacy_two (id int)' },
      ];
      expect(await migrate(db, list, { table: 'legacy_migrations' })).toEqual(['l-2']);
      expect(await db.many('select id, checksum from legacy_migrations order by id')).toEqual(
        list.map((m) => ({ id: m.id, checksum: sha256(m.sql) })),
      );
      await expect(migrate(db, [{ ...list[0], sql: 'create table legacy_uno (id int)' }], { table: 'legacy_migrations' })).rejects.toThrow(
        /^Migration l-1 was applied with different SQL/,
      );
    });

    // PGlite: a second app is a second, empty in-memory database, with no history to disagree with
    it.skipIf(!needsServer)('an app whose migration history disagrees answers 500 "Query error" and logs which migration', async () => {
      const db = app.db as Database;
      // "closed" would read as a lost connection (503) if the refusal were taken for a driver error
      const original = { id: '001-closed-accounts', sql: 'create table closed_accounts (id int)' };
      await migrate(db, [original], { table: 'refusal_migrations' });
      const errors: string[] = [];
      const logger = {
        ...silentLogger,
        error: (message: string, fields?: Record<string, unknown>) => errors.push(`${message} ${JSON.stringify(fields)}`),
      };
      const refused = createApp({
        env: target.env,
        controllers: [ItemController],
        database: { migrations: [{ ...original, sql: `${original.sql} -- edited` }], migrationsTable: 'refusal_migrations' },
        logger,
        docs: false,
      });
      try {
        const res = await call(refused, 'GET', '/items');
        expect(res).toMatchObject({ status: 500, json: { message: 'Query error' } });
        expect(res.text).not.toContain('closed');
        expect(errors.join('\n')).toMatch(/migrations refused.*Migration 001-closed-accounts was applied with different SQL/);
      } finally {
        await refused.close();
      }
    });

    it.skipIf(!needsServer)(
      'a migration longer than the statement timeout and the client read timeout completes',
      async () => {
        // the pool's read timeout is 300 + 1000 ms; the migration takes 1.6 s
        const slow = createApp({
          env: { ...target.env, DATABASE_STATEMENT_TIMEOUT_MS: '300', DATABASE_ACQUIRE_TIMEOUT_MS: '1000' },
          database: {
            migrations: [{ id: 's-1', sql: 'select pg_sleep(1.6); create table slow_done (id int)' }],
            migrationsTable: 'slow_migrations',
          },
          logger: silentLogger,
          docs: false,
        });
        try {
          const db = slow.db as Database;
          await db.ping();
          expect(await tableExists(db, 'slow_done')).toEqual({ found: 1 });
          // ordinary statements keep the bound
          await expect(db.query('select pg_sleep(1)')).rejects.toMatchObject({ status: 503, message: 'Database query timed out' });
        } finally {
          await slow.close();
        }
      },
      20_000,
    );

    it('rolls back a failing migration and does not record it, so a fixed one runs later', async () => {
      const db = app.db as Database;
      const bad = [...migrations, { id: '003-bad', sql: 'create table half_done (id int); select * from missing_table' }];
      await expect(migrate(db, bad)).rejects.toMatchObject({ status: 500 });
      expect(await db.one(sql`select 1 from pg_tables where tablename = 'half_done' and schemaname = current_schema()`)).toBeUndefined();
      expect(await migrate(db, [...migrations, { id: '003-bad', sql: 'create table half_done (id int)' }])).toEqual(['003-bad']);
    });

    it('runs concurrent migrate() calls one at a time, each migration once', async () => {
      const db = app.db as Database;
      const more = [{ id: '010-counter', sql: 'create table counter (n int)' }];
      const results = await Promise.all([
        migrate(db, more, { table: 'other_migrations' }),
        migrate(db, more, { table: 'other_migrations' }),
      ]);
      expect(results.flat()).toEqual(['010-counter']);
    });

    it('refuses dropData unless ALLOW_DROP_DATA, then empties the tables but keeps the migrations', async () => {
      const db = app.db as Database;
      await expect(dropData(db, app.config)).rejects.toMatchObject({ status: 403, message: 'Cannot drop data in this environment' });
      await dropData(db, { ALLOW_DROP_DATA: true });
      expect((await call(app, 'GET', '/items')).json).toEqual([]);
      expect((await db.many('select id from fetch_batteries_migrations')).length).toBe(migrations.length + 1);
      // the tables other migrate() calls on this database used are kept too
      expect(await db.many('select id from other_migrations')).toEqual([{ id: '010-counter' }]);
      expect((await db.many('select id from order_migrations')).length).toBe(3);
    });

    it('dropData(app.db, app.config) keeps the table of createApp({ database: { migrationsTable } })', async () => {
      const own = createDbApp(
        { ...target.env, ALLOW_DROP_DATA: 'true' },
        {
          database: {
            migrations: [{ id: 'c-1', sql: 'create table custom_kept (n int); insert into custom_kept values (1)' }],
            migrationsTable: 'custom_app_migrations',
          },
        },
      );
      try {
        const db = own.db as Database;
        // dropData is the app's first statement: it runs the migrations, then truncates
        expect(await dropData(db, own.config)).toContain('custom_kept');
        expect(await db.many('select id from custom_app_migrations')).toEqual([{ id: 'c-1' }]);
        expect(await db.many('select n from custom_kept')).toEqual([]);
      } finally {
        await own.close();
      }
    }, 30_000);

    it.skipIf(!needsServer)('sees committed rows from a second connection', async () => {
      await call(app, 'POST', '/items', { name: 'visible' });
      const rows = await admin(target.url as string, 'select name from item where name = $1', ['visible']);
      expect(rows).toEqual([{ name: 'visible' }]);
    });

    it('closes idempotently; a request after close answers 503', async () => {
      const other = createDbApp(target.env);
      // a second PGlite would cost seconds: there, close before the first use
      if (driver !== 'pglite') expect((await call(other, 'GET', '/items')).status).toBe(200);
      const db = other.db as Database;
      await Promise.all([db.close(), db.close()]);
      await db.close();
      await expect(db.ping()).rejects.toMatchObject({ status: 503, message: 'Database connection failed: Service unavailable' });
    }, 30_000);
  });
}
