import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App, Database } from '../../src/index.ts';
import { createDbApp } from './app.ts';
import { errorCases } from './suite-errors.ts';
import { migrationCases } from './suite-migrations.ts';
import { identifierCases, rowCases } from './suite-rows.ts';
import { call, type SuiteContext } from './suite-support.ts';
import { transactionCases } from './suite-transactions.ts';
import { admin, type DriverName, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

/** The one database suite, run by pglite.test.ts, pg.test.ts and neon.test.ts. */
export function databaseSuite(driver: DriverName): void {
  const needsServer = driver !== 'pglite';
  const skip = needsServer && skipWithoutPostgres(`the database suite on ${driver} (it runs on PGlite only)`);

  describe.skipIf(skip)(`Database on ${driver}`, () => {
    let target: Target;
    let app: App;
    const suite: SuiteContext = {
      driver,
      needsServer,
      get app() {
        return app;
      },
      get target() {
        return target;
      },
    };

    beforeAll(async () => {
      target = await startTarget(driver, `fb_suite_${driver}`);
      app = createDbApp(target.env);
      // the first statement starts PGlite (seconds) and runs the migrations
      await (app.db as Database).ping();
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await target?.close();
    });

    // the parts share the one app, in this order: later cases read rows earlier ones wrote
    rowCases(suite);
    errorCases(suite);
    transactionCases(suite);
    identifierCases(suite);
    migrationCases(suite);

    it.skipIf(!needsServer)('sees committed rows from a second connection', async () => {
      await call(app, 'POST', '/items', { name: 'visible' });
      const rows = await admin(target.url as string, 'select name from item where name = $1', ['visible']);
      expect(rows).toEqual([{ name: 'visible' }]);
    });

    it('closes idempotently; a request after close answers 503', async () => {
      const other = createDbApp(target.env);
      // a second PGlite would cost seconds: there, close before the first use
      if (driver !== 'pglite') expect((await call(other, 'GET', '/items')).status).toBe(200);
      const db = other.db as Database;
      await Promise.all([db.close(), db.close()]);
      await db.close();
      await expect(db.ping()).rejects.toMatchObject({ status: 503, message: 'Database connection failed: Service unavailable' });
    }, 30_000);
  });
}
