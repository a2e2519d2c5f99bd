import { PermissionDeniedError } from '../errors/http-errors.ts';
import { sql } from './sql.ts';
import type { Database } from './types.ts';

/**
 * The Python `ModelIdentifier` columns, to paste into a `create table`: a UUID primary key and
 * who/when created and last modified it.
 * @example
 * const migrations = [{ id: '001', sql: `create table patient (${IDENTIFIER_COLUMNS}, first_name text not null)` }];
 */
export const IDENTIFIER_COLUMNS = [
  'uuid uuid primary key default gen_random_uuid()',
  'created timestamptz not null default now()',
  "created_by text not null default 'system'",
  'modified timestamptz not null default now()',
  "modified_by text not null default 'system'",
].join(',\n  ');

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
 * Empties every table of the current schema except the migrations record. Refused (403) unless
 * `ALLOW_DROP_DATA` is true, which the config itself refuses in production.
 * @example await dropData(app.db, app.config);
 */
export async function dropData(
  db: Database,
  config: { ALLOW_DROP_DATA: boolean } | { general: { ALLOW_DROP_DATA: boolean } } | undefined,
  options: { migrationsTable?: string } = {},
): Promise<string[]> {
  const allowed = config !== undefined && ('general' in config ? config.general.ALLOW_DROP_DATA : config.ALLOW_DROP_DATA) === true;
  if (!allowed) throw new PermissionDeniedError('Cannot drop data in this environment', 'DROP_DATA_REFUSED');
  const keep = options.migrationsTable ?? 'fetch_batteries_migrations';
  const tables = await db.many<{ name: string }>(
    sql`select tablename as name from pg_tables where schemaname = current_schema() and tablename <> ${keep} order by tablename`,
  );
  if (tables.length > 0) await db.query(sql`truncate ${sql.join(tables.map((t) => sql.id(t.name)))} cascade`);
  return tables.map((t) => t.name);
}
