import { PermissionDeniedError } from '../kernel/http-errors.ts';
import { migrationsTables } from './migrate.ts';
import { sql } from './sql.ts';
import type { Database } from './types.ts';

/**
 * The Python `ModelIdentifier` columns, to paste into a `create table`: a UUID primary key and
 * who/when created and last modified it.
 * @example
 * const migrations = [{ id: '001', sql: `create table patient (${IDENTIFIER_COLUMNS}, first_name text not null)` }];
 */
export const IDENTIFIER_COLUMNS: string = [
  'uuid uuid primary key default gen_random_uuid()',
  'created timestamptz not null default now()',
  "created_by text not null default 'system'",
  'modified timestamptz not null default now()',
  "modified_by text not null default 'system'",
].join(',\n  ');

/** The trigger function {@link identifierTrigger} installs (one per schema, shared by every table). */
export const MODIFIED_TRIGGER_FUNCTION = 'fetch_batteries_set_modified';

function quoteName(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) throw new TypeError('identifierTrigger: invalid table name');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * SQL for a migration that keeps `modified` current, as the Python `ModelIdentifier` does
 * (`onupdate=now`): a `before update` trigger on the table sets `modified = now()` unless the
 * statement sets `modified` itself. The trigger function is created (or replaced) in the current
 * schema; running it again for the same table is harmless.
 * @example
 * const migrations = [
 *   { id: '001-patient', sql: `create table patient (${IDENTIFIER_COLUMNS}, first_name text not null)` },
 *   { id: '002-patient-modified', sql: identifierTrigger('patient') },
 * ];
 */
export function identifierTrigger(table: string): string {
  const target = quoteName(table);
  const trigger = quoteName(`${table}_set_modified`);
  return `create or replace function ${MODIFIED_TRIGGER_FUNCTION}() returns trigger language plpgsql as $fb$
begin
  -- an explicit "set modified = ..." (an import keeping its timestamps) wins
  if new.modified is not distinct from old.modified then
    new.modified := now();
  end if;
  return new;
end
$fb$;
drop trigger if exists ${trigger} on ${target};
create trigger ${trigger} before update on ${target} for each row execute function ${MODIFIED_TRIGGER_FUNCTION}();`;
}

export interface Identifier {
  uuid: string;
  created: string;
  created_by: string;
  modified: string;
  modified_by: string;
}

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * The identifier fields of a row, dates as ISO 8601 strings (Python `pack_identifier()`).
 * @example return { ...packIdentifier(row), first_name: row.first_name };
 */
export function packIdentifier(row: Record<string, unknown>): Identifier {
  return {
    uuid: String(row.uuid),
    created: iso(row.created),
    created_by: String(row.created_by),
    modified: iso(row.modified),
    modified_by: String(row.modified_by),
  };
}

/**
 * Empties every table of the current schema except the migrations records: the default table,
 * every table `migrate()` (or `createApp({ database: { migrationsTable } })`) used on this database,
 * and `options.migrationsTable`. Refused (403) unless `ALLOW_DROP_DATA` is true, which the config
 * itself refuses in production.
 * @example await dropData(app.db, app.config);
 */
export async function dropData(
  db: Database,
  config: { ALLOW_DROP_DATA: boolean } | { general: { ALLOW_DROP_DATA: boolean } } | undefined,
  options: { migrationsTable?: string } = {},
): Promise<string[]> {
  const allowed = config !== undefined && ('general' in config ? config.general.ALLOW_DROP_DATA : config.ALLOW_DROP_DATA) === true;
  if (!allowed) throw new PermissionDeniedError('Cannot drop data in this environment', 'DROP_DATA_REFUSED');
  const all = await db.many<{ name: string }>(
    sql`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  );
  // read after the first statement: it ran the app's migrations, which record their table
  const keep = new Set(migrationsTables(db));
  if (options.migrationsTable !== undefined) keep.add(options.migrationsTable);
  const tables = all.filter((t) => !keep.has(t.name));
  if (tables.length > 0) await db.query(sql`truncate ${sql.join(tables.map((t) => sql.id(t.name)))} cascade`);
  return tables.map((t) => t.name);
}
