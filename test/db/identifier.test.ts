import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type Database, IDENTIFIER_COLUMNS, identifierTrigger, silentLogger, sql } from '../../src/index.ts';

// a table name with a double quote and a space: the trigger's SQL must quote it (`"` doubled) to run
const TABLE = 'odd "table" name';
const QUOTED = '"odd ""table"" name"';

describe('identifierTrigger', () => {
  const app = createApp({
    env: { ENVIRONMENT: 'TEST', DATABASE_DRIVER: 'pglite' },
    logger: silentLogger,
    database: {
      migrations: [
        { id: '001', sql: `create table ${QUOTED} (${IDENTIFIER_COLUMNS}, body text not null)` },
        { id: '002', sql: identifierTrigger(TABLE) },
      ],
    },
  });
  afterAll(() => app.close());

  it('installs a working trigger on a table whose name holds a double quote', async () => {
    const db = app.db as Database;
    const row = await db.one<{ uuid: string }>(
      sql`insert into ${sql.id(TABLE)} (body, modified) values (${'before'}, ${'2001-02-03T04:05:06Z'}) returning uuid`,
    );
    await db.query(sql`update ${sql.id(TABLE)} set body = ${'after'} where uuid = ${row?.uuid}`);
    const after = await db.one<{ modified: Date }>(sql`select modified from ${sql.id(TABLE)} where uuid = ${row?.uuid}`);
    expect(after?.modified.getFullYear()).toBeGreaterThan(2001);
  }, 60_000);

  it('refuses an empty table name or one with a NUL byte, naming the function', () => {
    expect(() => identifierTrigger('')).toThrow(new TypeError('identifierTrigger: invalid table name'));
    expect(() => identifierTrigger('a\0b')).toThrow(new TypeError('identifierTrigger: invalid table name'));
    expect(() => identifierTrigger(42 as unknown as string)).toThrow(TypeError);
  });
});
