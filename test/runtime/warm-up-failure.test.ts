import { afterEach, describe, expect, it, vi } from 'vitest';
import { serve } from '../../src/adapters/node.ts';
import { Controller, createApp, type Database, Db, Get, QueryError, silentLogger, sql } from '../../src/index.ts';
import { freePort } from '../support/free-port.ts';

@Controller('/')
class CountController {
  @Get('/count')
  async count(@Db() db: Database) {
    return (await db.query(sql`select 1 as n`)).rows[0];
  }
}

/** Serves `app` on a free loopback port and returns the warm-up line serve() printed, if any. */
async function warmUpLine(app: Parameters<typeof serve>[0]): Promise<string | undefined> {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  const server = await serve(app, { port: await freePort(), hostname: '127.0.0.1', handleSignals: false, docsAssets: false });
  await server.close();
  const lines = errors.mock.calls.map((args) => args.map(String).join(' '));
  return lines.find((line) => line.includes('warm-up failed'));
}

describe('serve(): a warm-up that fails says why', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the cause of a database that refuses the connection, with the password masked', async () => {
    const closed = await freePort();
    const app = createApp({
      env: {
        ENVIRONMENT: 'TEST',
        DATABASE_URL: `postgres://fb:s3cret-word@127.0.0.1:${closed}/nowhere`,
        DATABASE_ACQUIRE_TIMEOUT_MS: '3000',
      },
      logger: silentLogger,
      controllers: [CountController],
      database: true,
    });
    const line = await warmUpLine(app);
    expect(line).toMatch(/^fetch-batteries: warm-up failed, serving anyway \(requests retry it\): \w+Error: .+ <- .*ECONNREFUSED/);
    expect(line).not.toContain('s3cret-word');
  }, 30_000);

  it('prints the reason behind a bare "Query error" (here: the pg package missing)', async () => {
    // pg is installed in this repository, so the missing package is simulated: a ready() that
    // rejects as the database battery does when the driver cannot load
    const missing = new Error(
      'DATABASE_DRIVER=pg needs the "pg" package (npm install pg): Error: Cannot find package \'pg\' imported from postgres://fb:s3cret-word@db/x' +
        ' (also tried postgres://fb:p@ss@db2)',
    );
    const app = {
      fetch: async () => new Response('ok'),
      close: async () => {},
      ready: async () => {
        throw new QueryError(undefined, missing);
      },
    };
    const line = await warmUpLine(app);
    expect(line).toContain('QueryError: Query error <- Error: DATABASE_DRIVER=pg needs the "pg" package (npm install pg)');
    expect(line).toContain('postgres://***@db/x');
    // a raw '@' in a password is masked up to the host, not only to its first '@'
    expect(line).toContain('postgres://***@db2)');
    expect(line).not.toContain('ss@db2');
  });
});
