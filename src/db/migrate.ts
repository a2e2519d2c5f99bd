import { databaseKey, EXEC_UNBOUNDED } from './database.ts';
import { isUnavailableError } from './errors.ts';
import { type Sql, sql } from './sql.ts';
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

/** The table migrations are recorded in unless `{ table }` says otherwise. */
export const DEFAULT_MIGRATIONS_TABLE = 'fetch_batteries_migrations';

/**
 * Thrown by `migrate()` when the recorded history and the list disagree (an applied migration's SQL
 * changed, or a new migration sits before one already applied; nothing is applied then), or when a
 * migration's SQL failed (`cause` is the driver's error; the migrations before it stay applied).
 */
export class MigrationError extends Error {
  /** The migration ids at fault. */
  readonly ids: string[];
  constructor(message: string, ids: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.ids = ids;
  }
}

// an arbitrary constant: pg_advisory_xact_lock key shared by every runner of this library
const LOCK_KEY = 727_246_411;
const running = new WeakMap<object, Promise<unknown>>();
const tablesUsed = new WeakMap<object, Set<string>>();

/** Remembers a migrations table on the database, so `dropData` keeps it. */
function recordMigrationsTable(db: Database, table: string): void {
  const key = databaseKey(db);
  let tables = tablesUsed.get(key);
  if (tables === undefined) tablesUsed.set(key, (tables = new Set()));
  tables.add(table);
}

/** Every migrations table used on this database in this process, the default one included. */
export function migrationsTables(db: Database): string[] {
  return [DEFAULT_MIGRATIONS_TABLE, ...(tablesUsed.get(databaseKey(db)) ?? [])];
}

/** Lowercase hex SHA-256 of a migration's SQL, as recorded in the `checksum` column. */
export async function migrationChecksum(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction, and records each
 * id with a SHA-256 checksum of its SQL. Refuses (MigrationError, nothing applied) when an applied
 * migration's SQL changed or a new one sits before one already applied. One runner at a time: a
 * transaction-scoped advisory lock on PostgreSQL (runners in other processes wait), and an
 * in-process queue per database (PGlite's advisory locks never block). Returns the ids applied.
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
  const table = options.table ?? DEFAULT_MIGRATIONS_TABLE;
  recordMigrationsTable(db, table);
  const key = databaseKey(db);
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => runAll(db, migrations, table));
  running.set(key, next);
  return next;
}

type Checked = Migration & { checksum: string };

async function runAll(db: Database, migrations: readonly Migration[], table: string): Promise<string[]> {
  const tableId = sql.id(table);
  const checked: Checked[] = await Promise.all(migrations.map(async (m) => ({ ...m, checksum: await migrationChecksum(m.sql) })));
  const done = await db.transaction(async (tx) => {
    await tx.query(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.query(sql`create table if not exists ${tableId} (id text primary key, applied timestamptz not null default now())`);
    // tables recorded before checksums existed get the column; their rows keep a null until the check below
    await tx.query(sql`alter table ${tableId} add column if not exists checksum text`);
    const rows = await tx.many<{ id: string; checksum: string | null }>(sql`select id, checksum from ${tableId}`);
    verify(checked, new Map(rows.map((r) => [r.id, r.checksum])));
    // an id recorded without a checksum is trusted as it is now; a later change to it is refused
    for (const m of checked) {
      if (rows.some((r) => r.id === m.id && r.checksum === null)) {
        await tx.query(sql`update ${tableId} set checksum = ${m.checksum} where id = ${m.id} and checksum is null`);
      }
    }
    return new Set(rows.map((r) => r.id));
  });
  const applied: string[] = [];
  for (const migration of checked) {
    // already checked above: a start with nothing new opens no further transaction
    if (done.has(migration.id)) continue;
    await applyOne(db, checked, migration, tableId, applied);
  }
  return applied;
}

/** The driver's own error behind a mapped one (its message names the index, column or syntax at fault). */
function driverError(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

async function applyOne(db: Database, checked: readonly Checked[], migration: Checked, tableId: Sql, applied: string[]): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await tx.query(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
      // another runner may have applied it (or one before it) while we waited for the lock
      const rows = await tx.many<{ id: string; checksum: string | null }>(sql`select id, checksum from ${tableId}`);
      const recorded = new Map(rows.map((r) => [r.id, r.checksum]));
      if (recorded.has(migration.id)) {
        verify([migration], recorded);
        return;
      }
      verify(checked, recorded);
      // after the lock, so a runner waiting for it keeps the pool's statement timeout; a long
      // `create index` must not be cancelled half-way
      await tx.query('set local statement_timeout = 0');
      await execUnbounded(tx, migration.sql);
      await tx.query(sql`insert into ${tableId} (id, checksum) values (${migration.id}, ${migration.checksum})`);
      applied.push(migration.id);
    });
  } catch (error) {
    if (error instanceof MigrationError || isUnavailableError(error)) throw error;
    // a 409 or 400 from the migration's SQL is not the caller's doing: name the migration instead
    const cause = driverError(error);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MigrationError(`Migration ${migration.id} failed: ${reason}`, [migration.id], { cause });
  }
}

/** `exec` without the pool's client-side read timeout when the handle is ours (a Database of your own just gets `exec`). */
function execUnbounded(tx: Database, script: string): Promise<void> {
  const ours = tx as Database & { [EXEC_UNBOUNDED]?: (script: string) => Promise<void> };
  return ours[EXEC_UNBOUNDED] === undefined ? tx.exec(script) : ours[EXEC_UNBOUNDED](script);
}

/** Throws MigrationError when the recorded history and the list disagree. */
function verify(migrations: readonly Checked[], recorded: ReadonlyMap<string, string | null>): void {
  const changed = migrations.filter((m) => {
    const checksum = recorded.get(m.id);
    return checksum !== undefined && checksum !== null && checksum !== m.checksum;
  });
  if (changed.length > 0) {
    const ids = changed.map((m) => m.id);
    throw new MigrationError(
      `Migration ${ids.join(', ')} was applied with different SQL: an applied migration must not be edited (add a new one)`,
      ids,
    );
  }
  let lastApplied = -1;
  migrations.forEach((m, i) => {
    if (recorded.has(m.id)) lastApplied = i;
  });
  const late = lastApplied < 0 ? [] : migrations.slice(0, lastApplied).filter((m) => !recorded.has(m.id));
  if (late.length > 0) {
    const ids = late.map((m) => m.id);
    throw new MigrationError(
      `Migration ${ids.join(', ')} is not applied but comes before ${migrations[lastApplied].id}, which is: ` +
        'give new migrations ids after the last applied one',
      ids,
    );
  }
}
