import { describe, expect, it, vi } from 'vitest';
import { ConfigError, Controller, createApp, type Database, type DatabaseConfig, Db, Get, silentLogger } from '../../src/index.ts';

const config = (env: Record<string, string>) =>
  createApp({ env, database: true, logger: silentLogger, docs: false }).config?.database as DatabaseConfig;

describe('database configuration', () => {
  it('uses PGlite in memory when DATABASE_URL is unset outside production', () => {
    expect(config({ ENVIRONMENT: 'DEVELOPMENT' })).toMatchObject({ driver: 'pglite', DATABASE_URL: undefined });
  });

  it('refuses to start in production without DATABASE_URL, naming the variable', () => {
    expect(() => config({})).toThrow(ConfigError);
    expect(() => config({ ENVIRONMENT: 'PRODUCTION' })).toThrow(/DATABASE_URL: is required when ENVIRONMENT is PRODUCTION/);
    // blank is unset, so PRODUCTION: never a silent embedded database in a deployment with ENVIRONMENT=""
    expect(() => config({ ENVIRONMENT: ' ' })).toThrow(/DATABASE_URL: is required when ENVIRONMENT is PRODUCTION/);
  });

  it('picks PGlite for memory:// and a directory, pg for a postgres URL, Neon for Neon hosts and behind a WebSocket proxy', () => {
    expect(config({ ENVIRONMENT: 'TEST', DATABASE_URL: 'memory://' }).driver).toBe('pglite');
    expect(config({ ENVIRONMENT: 'TEST', DATABASE_URL: './data/pg' }).driver).toBe('pglite');
    expect(config({ DATABASE_URL: 'postgres://u:p@db.internal:5432/app' }).driver).toBe('pg');
    expect(config({ DATABASE_URL: 'postgresql://u:p@ep-cool-1.eu-central-1.aws.neon.tech/app?sslmode=require' }).driver).toBe('neon');
    expect(config({ DATABASE_URL: 'postgres://u:p@127.0.0.1/app', DATABASE_WS_PROXY: 'ws://127.0.0.1:9000/v1' }).driver).toBe('neon');
  });

  it('refuses a URL of another scheme instead of opening PGlite in a directory named after it, without echoing it', () => {
    for (const url of ['mysql://u:s3cret@db/app', 'postgresql+psycopg2://u:s3cret@db/app', 'postgress://u:s3cret@db/app']) {
      expect(() => config({ ENVIRONMENT: 'PRODUCTION', DATABASE_URL: url })).toThrow(
        /DATABASE_URL: must be a postgres:\/\/ URL, memory:\/\/ or a directory/,
      );
      expect(() => config({ ENVIRONMENT: 'PRODUCTION', DATABASE_URL: url })).not.toThrow(/s3cret/);
    }
    expect(config({ ENVIRONMENT: 'TEST', DATABASE_URL: 'file:///tmp/pg' }).driver).toBe('pglite');
  });

  it('refuses PGlite on Workers however it is asked for (memory://, a directory, DATABASE_DRIVER=pglite)', () => {
    // a stand-in for workerd's user agent; the unset DATABASE_URL case runs in real workerd (workers.test.ts)
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    try {
      const variants: Record<string, string>[] = [
        { DATABASE_URL: 'memory://' },
        { DATABASE_URL: './data/pg' },
        { DATABASE_URL: 'postgres://u:p@h/db', DATABASE_DRIVER: 'pglite' },
      ];
      for (const env of variants) {
        expect(() => config({ ENVIRONMENT: 'TEST', ...env })).toThrow(
          /DATABASE_URL: a postgres:\/\/ URL is required on Cloudflare Workers/,
        );
      }
      expect(config({ ENVIRONMENT: 'TEST', DATABASE_URL: 'postgres://u:p@h/db' }).driver).toBe('neon');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('lets DATABASE_DRIVER override the choice and rejects unknown drivers', () => {
    expect(config({ DATABASE_URL: 'postgres://u:p@127.0.0.1/app', DATABASE_DRIVER: 'neon' }).driver).toBe('neon');
    expect(() => config({ DATABASE_URL: 'postgres://x@y/z', DATABASE_DRIVER: 'mysql' })).toThrow(
      /DATABASE_DRIVER: must be pg, neon or pglite/,
    );
    expect(() => config({ DATABASE_URL: 'memory://', DATABASE_DRIVER: 'pg' })).toThrow(/must be a postgres:\/\/ URL/);
  });

  it('builds the URL from the Python-style DATABASE_HOST/PORT/USER/PASSWORD/NAME', () => {
    const c = config({ DATABASE_HOST: 'db', DATABASE_PORT: '5433', DATABASE_USER: 'me', DATABASE_PASSWORD: 'p@ss', DATABASE_NAME: 'app' });
    expect(c).toMatchObject({ driver: 'pg', DATABASE_URL: 'postgres://me:p%40ss@db:5433/app' });
  });

  it('reads pool size and timeouts, with bounded defaults', () => {
    expect(config({ ENVIRONMENT: 'TEST' })).toMatchObject({
      DATABASE_POOL_SIZE: 10,
      DATABASE_ACQUIRE_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 30000,
      DATABASE_HEALTHCHECK_TIMEOUT_MS: 2000,
    });
    expect(() => config({ ENVIRONMENT: 'TEST', DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE: must be at least 1/);
  });

  it('needs no database config when the app does not enable the database', () => {
    expect(() => createApp({ env: {}, logger: silentLogger, docs: false })).not.toThrow();
  });

  it('refuses a @Db() route when the database is not enabled', () => {
    @Controller('/x')
    class X {
      @Get('/')
      get(@Db() _db: unknown) {}
    }
    expect(() => createApp({ env: {}, controllers: [X], logger: silentLogger, docs: false })).toThrow(
      /@Db\(\) needs a battery that is not enabled/,
    );
  });
});

describe('createApp({ database: <Database> })', () => {
  it('injects a ready-made Database with @Db(), exposes it as app.db and leaves closing it to its owner', async () => {
    let closed = 0;
    const rows = [{ answer: 42n }];
    const mine: Database = {
      driver: 'custom',
      query: async () => ({ rows, rowCount: 1 }) as never,
      one: async () => rows[0] as never,
      many: async () => rows as never,
      exec: async () => {},
      transaction: async (fn) => fn(mine),
      ping: async () => {},
      close: async () => {
        closed++;
      },
      stats: () => ({ total: 0, idle: 0, waiting: 0 }),
    };
    @Controller('/answer')
    class Answer {
      @Get('/')
      get(@Db() db: Database) {
        return db.one('select 42 as answer');
      }
    }
    const app = createApp({ env: {}, controllers: [Answer], database: mine, logger: silentLogger, docs: false });
    expect(app.db).toBe(mine);
    const res = await app.fetch(new Request('http://x/answer'));
    expect(await res.json()).toEqual({ answer: 42 });
    await app.close();
    expect(closed).toBe(0);
  });
});
