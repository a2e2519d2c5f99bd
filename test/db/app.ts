import * as v from 'valibot';
// not re-exported from src/index.ts yet
import { identifierTrigger } from '../../src/db/identifier.ts';
import {
  Body,
  Controller,
  createApp,
  type Database,
  Db,
  Get,
  IDENTIFIER_COLUMNS,
  type Migration,
  NotFoundError,
  Param,
  Patch,
  Post,
  packIdentifier,
  silentLogger,
  sql,
} from '../../src/index.ts';

export const migrations: Migration[] = [
  {
    id: '001-item',
    sql: `create table item (
      id serial primary key,
      name text not null unique,
      qty integer not null default 0 check (qty >= 0),
      code varchar(5),
      parent_id integer references item (id)
    );
    create table note (${IDENTIFIER_COLUMNS}, body text not null)`,
  },
  { id: '002-item-label', sql: `alter table item add column label text not null default ''` },
  { id: '003-note-modified', sql: identifierTrigger('note') },
];

const NewItem = v.object({
  name: v.nullable(v.string()),
  qty: v.optional(v.number()),
  code: v.optional(v.string()),
  parent_id: v.optional(v.number()),
});

/** Routes that exercise every Database method through HTTP. */
@Controller('/items')
export class ItemController {
  @Post('/')
  async create(@Body(NewItem) body: v.InferOutput<typeof NewItem>, @Db() db: Database) {
    return db.one(
      sql`insert into item (name, qty, code, parent_id) values (${body.name}, ${body.qty ?? 0}, ${body.code ?? null}, ${body.parent_id ?? null}) returning *`,
    );
  }

  @Get('/')
  async list(@Db() db: Database) {
    return db.many(sql`select * from item order by id`);
  }

  @Get('/by-name/:name')
  async byName(@Param('name') name: string, @Db() db: Database) {
    const row = await db.one(sql`select * from ${sql.id('item')} where name = ${name}`);
    if (!row) throw new NotFoundError(`Item ${name} not found`);
    return row;
  }

  @Get('/count')
  async count(@Db() db: Database) {
    return db.one(
      sql`select count(*) as count, 9007199254740993::int8 as big, 42::bigint as small, array[42, 9007199254740993, null]::int8[] as ids from item`,
    );
  }

  /** Two inserts in a transaction, then a failure: neither may stay. */
  @Post('/tx-fail')
  async txFail(@Db() db: Database) {
    await db.transaction(async (tx) => {
      await tx.query(sql`insert into item (name) values (${'tx-a'})`);
      await tx.query(sql`insert into item (name) values (${'tx-a'})`);
    });
  }

  @Post('/tx-ok')
  async txOk(@Db() db: Database) {
    return db.transaction(async (tx) => {
      await tx.query(sql`insert into item (name) values (${'tx-ok'})`);
      return tx.one(sql`select count(*) as count from item where name = ${'tx-ok'}`);
    });
  }

  /** The outer handle used inside a transaction: must answer, never hang. */
  @Post('/tx-outer')
  async txOuter(@Db() db: Database) {
    return db.transaction(async () => db.one(sql`select 1 as one`));
  }

  @Get('/broken-sql')
  async broken(@Db() db: Database) {
    return db.query('select * from no_such_table_here');
  }

  @Get('/uuid/:id')
  async byUuid(@Param('id') id: string, @Db() db: Database) {
    return (await db.one(sql`select * from note where uuid = ${id}`)) ?? null;
  }

  @Post('/notes')
  async note(@Db() db: Database) {
    const row = await db.one<Record<string, unknown>>(
      sql`insert into note (body, created_by) values (${'hello'}, ${'user-1'}) returning *`,
    );
    return { ...packIdentifier(row as Record<string, unknown>), body: (row as { body: string }).body };
  }

  /** Changes a note's body: the identifier trigger moves `modified`. */
  @Patch('/notes/:id')
  async editNote(@Param('id') id: string, @Body(v.object({ body: v.string() })) body: { body: string }, @Db() db: Database) {
    const row = await db.one<Record<string, unknown>>(sql`update note set body = ${body.body} where uuid = ${id} returning *`);
    if (!row) throw new NotFoundError(`Note ${id} not found`);
    return { ...packIdentifier(row), body: row.body };
  }

  /** The request body stored as jsonb, the way many services keep a document. */
  @Post('/doc')
  async doc(@Body() body: unknown, @Db() db: Database) {
    return db.one(sql`select ${JSON.stringify(body)}::jsonb as doc`);
  }

  /** Fails with the given SQLSTATE, as a serialization failure or a deadlock would. */
  @Get('/raise/:code')
  async raise(@Param('code', v.pipe(v.string(), v.regex(/^[0-9A-Z]{5}$/))) code: string, @Db() db: Database) {
    // a DO block takes no parameters: the code is checked above
    return db.query(`do $$ begin raise exception 'raised on purpose' using errcode = '${code}'; end $$`);
  }

  @Get('/sleep/:ms')
  async sleep(@Param('ms') ms: string, @Db() db: Database) {
    return db.one(sql`select pg_sleep(${Number(ms) / 1000})::text as slept`);
  }

  /** Loses its own connection half-way through a transaction. */
  @Post('/tx-lost')
  async txLost(@Db() db: Database) {
    await db.transaction(async (tx) => {
      await tx.query(sql`insert into item (name) values (${'lost-write'})`);
      await tx.query('select pg_terminate_backend(pg_backend_pid())');
      await tx.query(sql`insert into item (name) values (${'lost-write-2'})`);
    });
  }
}

export function createDbApp(env: Record<string, string>, extra: Record<string, unknown> = {}) {
  return createApp({
    controllers: [ItemController],
    env,
    database: { migrations },
    docs: false,
    logger: process.env.DB_TEST_LOG ? undefined : silentLogger,
    ...extra,
  });
}
