import { beforeAll, expect, it } from 'vitest';
import type { App, Database } from '../../src/index.ts';
import { call, type SuiteContext } from './suite-support.ts';

/** Transactions: rollback, a swallowed statement error, commit, the outer handle inside. */
export function transactionCases(suite: SuiteContext): void {
  const { driver } = suite;
  let app: App;
  // runs after the suite's own beforeAll, which started the target and the app
  beforeAll(() => {
    app = suite.app;
  });

  it('rolls a failed transaction back: nothing it wrote stays', async () => {
    const res = await call(app, 'POST', '/items/tx-fail');
    expect(res.status).toBe(409);
    expect((await call(app, 'GET', '/items/by-name/tx-a')).status).toBe(404);
  });

  it('a statement error the callback swallows fails the transaction instead of a silent rollback', async () => {
    const db = app.db as Database;
    await db.query(`insert into item (name) values ('tx-swallow-taken')`);
    const attempt = db.transaction(async (tx) => {
      await tx.query(`insert into item (name) values ('tx-swallow-a')`);
      await tx.query(`insert into item (name) values ('tx-swallow-taken')`).catch(() => undefined);
      return 'ok';
    });
    await expect(attempt).rejects.toMatchObject({ status: 409, message: 'Resource already exists' });
    expect((await call(app, 'GET', '/items/by-name/tx-swallow-a')).status).toBe(404);
    // undone by a nested transaction (a savepoint), the error no longer fails the outer one
    const kept = await db.transaction(async (tx) => {
      await tx.query(`insert into item (name) values ('tx-swallow-b')`);
      await tx.transaction((sp) => sp.query(`insert into item (name) values ('tx-swallow-taken')`)).catch(() => undefined);
      return 'ok';
    });
    expect(kept).toBe('ok');
    expect((await call(app, 'GET', '/items/by-name/tx-swallow-b')).status).toBe(200);
  });

  it('a swallowed error answers as itself, not as "current transaction is aborted" (25P02)', async () => {
    const db = app.db as Database;
    await db.query(`insert into item (name) values ('tx-abort-taken')`);
    // the callback swallows the failed statement, then runs another
    const carriedOn = db.transaction(async (tx) => {
      await tx.query(`insert into item (name) values ('tx-abort-taken')`).catch(() => undefined);
      await tx.query(`insert into item (name) values ('tx-abort-a')`);
    });
    await expect(carriedOn).rejects.toMatchObject({ status: 409, message: 'Resource already exists' });
    // a nested transaction whose callback swallows its own failed statement
    const nested = db.transaction(async (tx) => {
      await tx.transaction(async (sp) => {
        await sp.query(`insert into item (name) values ('tx-abort-taken')`).catch(() => undefined);
      });
    });
    await expect(nested).rejects.toMatchObject({ status: 409, message: 'Resource already exists' });
    expect((await call(app, 'GET', '/items/by-name/tx-abort-a')).status).toBe(404);
  });

  it('commits a transaction and returns the callback value', async () => {
    const res = await call(app, 'POST', '/items/tx-ok');
    expect(res.json).toEqual({ count: 1 });
  });

  it('does not hang when the outer handle is used inside a transaction', async () => {
    const res = await call(app, 'POST', '/items/tx-outer');
    // PGlite has one connection: the outer handle waits for it and gives up after the acquire timeout
    if (driver === 'pglite') expect(res.json).toEqual({ message: 'Database connection failed: Service unavailable' });
    else expect(res.json).toEqual({ one: 1 });
    expect((await call(app, 'GET', '/items/count')).status).toBe(200);
  });
}
