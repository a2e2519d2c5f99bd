import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App, Database, Logger } from '../../src/index.ts';
import { createDbApp } from './app.ts';
import { admin, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

/** A logger that keeps its warnings. */
function warningLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const none = () => {};
  return { warnings, logger: { debug: none, info: none, error: none, warn: (message) => warnings.push(message) } };
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(skipWithoutPostgres('the idle-connection log test (pg, neon)')).each(['pg', 'neon'] as const)(
  'an idle connection that dies, on %s',
  (driver) => {
    let target: Target;
    let app: App | undefined;

    beforeAll(async () => {
      target = await startTarget(driver, `fb_idle_lost_${driver}`);
    });
    afterAll(async () => {
      await app?.close();
      await target.close();
    });

    it('is logged once: one warning per connection the server ended', async () => {
      // its own application_name, so only this pool's connections are ended
      const name = `fb_idle_lost_${driver}`;
      const url = new URL(target.url as string);
      url.searchParams.set('application_name', name);
      const { logger, warnings } = warningLogger();
      app = createDbApp({ ...target.env, DATABASE_URL: url.toString() }, { logger });
      // three requests at once: three connections, idle in the pool afterwards
      const responses = await Promise.all(
        ['/items/sleep/50', '/items/sleep/50', '/items/sleep/50'].map((p) => app?.fetch(new Request(`http://test${p}`))),
      );
      expect(responses.map((r) => r?.status)).toEqual([200, 200, 200]);
      const db = app.db as Database;
      expect(db.stats().idle).toBe(3);
      const killed = await admin(
        url.toString(),
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [name],
      );
      expect(killed).toHaveLength(3);
      await waitFor(() => db.stats().total === 0);
      expect(db.stats().total).toBe(0);
      expect(warnings).toEqual(['database: connection lost', 'database: connection lost', 'database: connection lost']);
    });
  },
);
