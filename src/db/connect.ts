import type { Logger } from '../kernel/logger.ts';
import type { DatabaseConfig } from './config.ts';
import { type DatabaseInit, openDatabase, type PooledDatabase } from './database.ts';
import type { Driver } from './types.ts';

/**
 * A lazy Database for the validated config: nothing is loaded or connected until the first
 * statement. Drivers are imported on demand, so a Workers bundle that never opens PGlite or pg
 * never runs them.
 * @example const config = app.config?.database; // DatabaseConfig | undefined (loaded with `database: true`)
 * const reporting = config && connectDatabase(config);
 */
export function connectDatabase(config: DatabaseConfig, options: { logger?: Logger; init?: DatabaseInit } = {}): PooledDatabase {
  const open = async (): Promise<Driver> => {
    const pool = {
      connectionString: config.DATABASE_URL ?? '',
      poolSize: config.DATABASE_POOL_SIZE,
      acquireTimeoutMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      logger: options.logger,
    };
    switch (config.driver) {
      case 'pglite': {
        const { createPgliteDriver } = await import('./drivers/pglite.ts');
        const url = config.DATABASE_URL;
        return createPgliteDriver({
          dataDir: url === undefined || /^postgres(?:ql)?:/i.test(url) ? undefined : url,
          acquireTimeoutMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
        });
      }
      case 'neon': {
        const { createNeonDriver } = await import('./drivers/neon.ts');
        return createNeonDriver({ ...pool, wsProxy: config.DATABASE_WS_PROXY });
      }
      default: {
        const { createPgDriver } = await import('./drivers/pg.ts');
        return createPgDriver(pool);
      }
    }
  };
  return openDatabase(
    config.driver,
    async () => {
      try {
        return await open();
      } catch (error) {
        const cause = (error as { cause?: unknown } | null)?.cause;
        // the cause says why (a PGlite directory another process holds), the error only that it failed
        options.logger?.error('database: could not open the driver', {
          driver: config.driver,
          error: String(error),
          ...(cause === undefined ? {} : { cause: String(cause) }),
        });
        throw error;
      }
    },
    options.init,
  );
}
