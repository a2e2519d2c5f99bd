import { sql } from './sql.ts';
import type { Database } from './types.ts';

/** One schema change; `id`s are applied in array order and recorded, so each runs once. */
export interface Migration {
  id: string;
  sql: string;
}

export interface MigrateOptions {
  /** Where applied ids are recorded (default `fetch_batteries_migrations`, in the current schema). */
  table?: string;
}

// an arbitrary constant: pg_advisory_xact_lock key shared by every runner of this library
const LOCK_KEY = 727_246_411;
const running = new WeakMap<Database, Promise<unknown>>();

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction. One runner at a
 * time: a transaction-scoped advisory lock on PostgreSQL (runners in other processes wait), and
 * an in-process queue per database (PGlite's advisory locks never block). Returns the ids applied.
 * @example
 * await migrate(db, [{ id: '001-patient', sql: 'create table patient (uuid uuid primary key)' }]);
 */
export async function migrate(db: Database, migrations: readonly Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (typeof m.id !== 'string' || m.id === '' || typeof m.sql !== 'string') throw new TypeError('Each migration needs an id and sql');
    if (ids.has(m.id)) throw new TypeError(`Duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => runAll(db, migrations, options.table ?? 'fetch_batteries_migrations'));
  running.set(db, next);
  return next;
}

async function runAll(db: Database, migrations: readonly Migration[], table: string): Promise<string[]> {
  const tableId = sql.id(table);
  await db.transaction(async (tx) => {
    await tx.query(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.query(sql`create table if not exists ${tableId} (id text primary key, applied timestamptz not null default now())`);
  });
  const done = new Set((await db.many<{ id: string }>(sql`select id from ${tableId}`)).map((r) => r.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    await db.transaction(async (tx) => {
      await tx.query(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
      // another runner may have applied it while we waited for the lock
      if (await tx.one(sql`select 1 from ${tableId} where id = ${migration.id}`)) return;
      await tx.exec(migration.sql);
      await tx.query(sql`insert into ${tableId} (id) values (${migration.id})`);
      applied.push(migration.id);
    });
  }
  return applied;
}
