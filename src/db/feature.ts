import type { RequestContext } from '../app/context.ts';
import type { Feature, FeatureRuntime } from '../app/feature.ts';
import { HttpError } from '../errors/http-errors.ts';
import { type DatabaseConfig, databaseGroup } from './config.ts';
import { connectDatabase } from './connect.ts';
import { PooledDatabase } from './database.ts';
import { QueryError } from './errors.ts';
import { type Migration, migrate } from './migrate.ts';
import type { Database } from './types.ts';

/** `createApp({ database: { ... } })`: the database from config, plus what to do with it. */
export interface DatabaseOptions {
  /** Applied before the first statement (on Workers: by the first requests of each isolate, until one run succeeds). */
  migrations?: readonly Migration[];
  migrationsTable?: string;
  /**
   * One pool per request, closed through `ctx.waitUntil` after the response. Default: on
   * Cloudflare Workers, where a WebSocket may not outlive its request.
   */
  perRequest?: boolean;
}

const LOCAL_KEY = 'fetch-batteries:db';

/** Whether a value is a ready-made Database (rather than `true` or DatabaseOptions). */
export function isDatabase(value: unknown): value is Database {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Database).query === 'function' &&
    typeof (value as Database).transaction === 'function'
  );
}

function onWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
}

function timed(db: Database, ctx: RequestContext): Database {
  return db instanceof PooledDatabase ? db.withTiming((ms) => ctx.addTiming('db', ms)) : db;
}

/**
 * The database battery: `@Db()` arguments, `app.db`, the `/healthcheck` `select 1` check and the
 * Server-Timing `db` phase. Enabled by `createApp({ database: true | DatabaseOptions | Database })`.
 * @example createApp({ controllers: [PatientController], database: { migrations } });
 */
export function databaseFeature(): Feature {
  return {
    name: 'database',
    configGroups(_definitions, options) {
      const option = options.database;
      return option && !isDatabase(option) ? [databaseGroup] : [];
    },
    start(context): FeatureRuntime {
      const option = context.options.database;
      if (!option) return {};
      const logger = context.logger;
      const settings: DatabaseOptions = option === true || isDatabase(option) ? {} : (option as DatabaseOptions);
      const config = context.config.database as DatabaseConfig | undefined;
      const perRequest = !isDatabase(option) && (settings.perRequest ?? onWorkers());
      const migrations = settings.migrations ?? [];
      // On Workers each request's own pool runs them until one run succeeded in this isolate (no
      // promise is shared across requests there); advisory locks keep concurrent runs safe.
      let migrated = migrations.length === 0;
      const init = migrated
        ? undefined
        : async (raw: Database) => {
            if (migrated) return;
            let applied: string[];
            try {
              applied = await migrate(raw, migrations, { table: settings.migrationsTable });
            } catch (error) {
              if (error instanceof HttpError) throw error;
              // a refused history (MigrationError) or a bad list: every statement answers 500
              // `Query error` until it is fixed, and the log says why (the message is not the caller's)
              logger.error('database: migrations refused', { error: String(error) });
              throw new QueryError(undefined, error);
            }
            migrated = true;
            if (applied.length > 0) logger.info('database: migrations applied', { applied });
          };
      const make = () => connectDatabase(config as DatabaseConfig, { logger, init });
      const db: Database = isDatabase(option) ? option : make();
      const owned = !isDatabase(option);

      // a per-request database is probed (and migrated) through a pool of its own, closed at once
      const ping = perRequest
        ? async () => {
            const probe = make();
            try {
              await probe.ping();
            } finally {
              await probe.close();
            }
          }
        : () => db.ping();
      context.healthchecks.push({ name: 'database', timeoutMs: config?.DATABASE_HEALTHCHECK_TIMEOUT_MS ?? 2000, check: ping });

      const runtime: FeatureRuntime = {
        extractor(param) {
          if (param.kind !== 'db') return undefined;
          if (!perRequest) return (ctx) => timed(db, ctx);
          return (ctx) => {
            const locals = (ctx.locals ??= {});
            let scoped = locals[LOCAL_KEY] as Database | undefined;
            if (scoped === undefined) locals[LOCAL_KEY] = scoped = make();
            return timed(scoped, ctx);
          };
        },
        exports: { db },
        // app.ready(): open the driver (PGlite's start takes seconds) and run the migrations now
        ready: ping,
        close: owned ? () => db.close() : undefined,
      };
      if (perRequest) {
        runtime.onResponse = (ctx) => {
          const scoped = ctx.locals?.[LOCAL_KEY] as Database | undefined;
          if (scoped !== undefined) ctx.waitUntil(scoped.close());
        };
      }
      return runtime;
    },
  };
}
