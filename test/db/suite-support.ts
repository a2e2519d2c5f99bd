// Shared by the parts of the database suite (suite.ts composes them, one target per runner file).
import { createHash } from 'node:crypto';
import { type App, type Database, sql } from '../../src/index.ts';
import type { DriverName, Target } from './targets.ts';

export async function call(app: App, method: string, path: string, body?: unknown) {
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

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const tableExists = (db: Database, name: string) =>
  db.one(sql`select 1 as found from pg_tables where tablename = ${name} and schemaname = current_schema()`);
export const RETRY = { message: 'Database transaction conflict: retry the request' };
export const BAD_CHARACTER = { message: 'A value contains a character that cannot be stored' };

/** What a suite part reads: the driver, and the target and app the suite started (set in its beforeAll). */
export interface SuiteContext {
  driver: DriverName;
  needsServer: boolean;
  app: App;
  target: Target;
}
