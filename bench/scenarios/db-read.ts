import { Hono } from 'hono';
import pg from 'pg';
import { Controller, createApp, type Database, Db, Get, NotFoundError, Param, silentLogger, sql } from '../../src/index.ts';
import type { BenchTarget, Scenario } from '../scenario.ts';

// pg over TCP when a server is configured (the realistic case), else PGlite in process for both.
const URL_ = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const ID = 42;
const TABLE = 'fb_bench_item';
const SETUP = `create table if not exists ${TABLE} (id integer primary key, name text not null, qty bigint not null);
insert into ${TABLE} (id, name, qty) values (${ID}, 'widget', 7) on conflict (id) do nothing`;

@Controller('/items')
class ItemController {
  @Get('/:id')
  async get(@Param('id') id: string, @Db() db: Database) {
    const row = await db.one(sql`select id, name, qty from fb_bench_item where id = ${Number(id)}`);
    if (!row) throw new NotFoundError(`Item ${id} not found`);
    return row;
  }
}

async function ours(): Promise<BenchTarget> {
  const env: Record<string, string> = { ENVIRONMENT: 'TEST', DATABASE_POOL_SIZE: '10' };
  if (URL_) env.DATABASE_URL = URL_;
  const app = createApp({
    env,
    controllers: [ItemController],
    database: { migrations: [{ id: 'bench-001', sql: SETUP }], migrationsTable: 'fb_bench_migrations' },
    logger: silentLogger,
    docs: false,
  });
  await (app.db as Database).ping();
  return { name: 'fetch-batteries', fetch: app.fetch, app, close: () => app.close() };
}

async function hono(): Promise<BenchTarget> {
  type Query = (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  let query: Query;
  let close: () => Promise<void>;
  if (URL_) {
    const pool = new pg.Pool({ connectionString: URL_, max: 10 });
    pool.on('error', () => {});
    await pool.query(SETUP);
    query = (text, values) => pool.query(text, values);
    close = () => pool.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    await db.exec(SETUP);
    query = (text, values) => db.query(text, values) as Promise<{ rows: Record<string, unknown>[] }>;
    close = () => db.close();
  }
  const app = new Hono();
  app.get('/items/:id', async (c) => {
    const { rows } = await query(`select id, name, qty from ${TABLE} where id = $1`, [Number(c.req.param('id'))]);
    if (rows.length === 0) return c.json({ message: 'not found' }, 404);
    const row = rows[0];
    // pg returns int8 as a string; match our JSON (a number)
    return c.json({ ...row, qty: Number(row.qty) });
  });
  // named exactly 'hono': bench/run.ts computes the × Hono columns against it
  return { name: 'hono', fetch: (request) => app.fetch(request), close };
}

const scenario: Scenario = {
  name: 'db-read',
  description: `GET /items/:id: one row by primary key, both through ${URL_ ? 'node-postgres (pool of 10)' : 'PGlite'}`,
  request: { method: 'GET', path: `/items/${ID}` },
  expectStatus: 200,
  targets: async () => [await ours(), await hono()],
};

export default scenario;
