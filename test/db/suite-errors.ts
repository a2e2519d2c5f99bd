import { beforeAll, expect, it } from 'vitest';
import { type App, type Database, sql } from '../../src/index.ts';
import { BAD_CHARACTER, call, RETRY, type SuiteContext } from './suite-support.ts';

/** Database errors as the client sees them: 409, 400, 503 to retry, 500 without the SQL. */
export function errorCases(suite: SuiteContext): void {
  const { needsServer } = suite;
  let app: App;
  // runs after the suite's own beforeAll, which started the target and the app
  beforeAll(() => {
    app = suite.app;
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
}
