import { beforeAll, expect, it } from 'vitest';
import { type App, createApp, type Database, dropData, migrate, silentLogger, sql } from '../../src/index.ts';
import { createDbApp, ItemController, migrations } from './app.ts';
import { call, type SuiteContext, sha256, tableExists } from './suite-support.ts';
import type { Target } from './targets.ts';

/** Migrations (once, checksums, order, history, failures, concurrency) and dropData. */
export function migrationCases(suite: SuiteContext): void {
  const { needsServer } = suite;
  let app: App;
  let target: Target;
  // runs after the suite's own beforeAll, which started the target and the app
  beforeAll(() => {
    ({ app, target } = suite);
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
    await expect(migrate(db, bad)).rejects.toMatchObject({
      name: 'MigrationError',
      ids: ['003-bad'],
      message: expect.stringMatching(/^Migration 003-bad failed: .*missing_table/),
    });
    expect(await db.one(sql`select 1 from pg_tables where tablename = 'half_done' and schemaname = current_schema()`)).toBeUndefined();
    expect(await migrate(db, [...migrations, { id: '003-bad', sql: 'create table half_done (id int)' }])).toEqual(['003-bad']);
  });

  it('runs concurrent migrate() calls one at a time, each migration once', async () => {
    const db = app.db as Database;
    const more = [{ id: '010-counter', sql: 'create table counter (n int)' }];
    const results = await Promise.all([migrate(db, more, { table: 'other_migrations' }), migrate(db, more, { table: 'other_migrations' })]);
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
}
