import type { Battery, BatteryRuntime, CoreConfig, CoreOptions } from '../kernel/battery.ts';
import { afterTasks, type RequestContext } from '../kernel/context.ts';
import { checkOptionKeys } from '../kernel/option-keys.ts';
import { platform } from '../kernel/platform.ts';
import { type DatabaseConfig, databaseGroup } from './config.ts';
import { connectDatabase } from './connect.ts';
import { PooledDatabase } from './database.ts';
import { isUnavailableError, QueryError } from './errors.ts';
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

/** The `createApp` option the database battery reads. */
export interface DatabaseBatteryOptions {
  /** `true`: from config (`DATABASE_URL`, PGlite by default outside production); options with migrations; or a ready Database. */
  database?: boolean | DatabaseOptions | Database;
}

/** `app.config.database`, loaded when `database` is `true` or DatabaseOptions. */
export interface DatabaseConfigGroup {
  database?: DatabaseConfig;
}

/** `app.db`. */
export interface DatabaseExports {
  db?: Database;
}

/** Whether a value is a ready-made Database (rather than `true` or DatabaseOptions). */
export function isDatabase(value: unknown): value is Database {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Database).query === 'function' &&
    typeof (value as Database).transaction === 'function'
  );
}

function timed(db: Database, ctx: RequestContext): Database {
  return db instanceof PooledDatabase ? db.withTiming((ms) => ctx.addTiming('db', ms)) : db;
}

// exactly what the battery reads from DatabaseOptions
const DATABASE_KEYS = ['migrations', 'migrationsTable', 'perRequest'];

/**
 * The database battery: `@Db()` arguments, `app.db`, the `/healthcheck` `select 1` check and the
 * Server-Timing `db` phase. Enabled by `createApp({ database: true | DatabaseOptions | Database })`.
 * @example createApp({ controllers: [PatientController], database: { migrations } });
 */
export function databaseBattery(): Battery<CoreOptions & DatabaseBatteryOptions, CoreConfig & DatabaseConfigGroup, DatabaseExports> {
  return {
    name: 'database',
    optionNames: ['database'],
    // at createApp: `database: { migration: [...] }` would otherwise run no migration without a word
    checkRoutes(_definitions, options) {
      const option: unknown = options.database;
      if (option === null || typeof option !== 'object' || isDatabase(option)) return;
      // half a Database (a wrapper that forgot a method) is not a misspelt option
      const has = (name: string) => typeof (option as Record<string, unknown>)[name] === 'function';
      if (has('query') || has('transaction')) {
        throw new TypeError(
          `createApp({ database }): a Database needs both query() and transaction(); this one has no ${has('query') ? 'transaction' : 'query'}()`,
        );
      }
      checkOptionKeys('database', option, DATABASE_KEYS, false, '; or pass a Database');
    },
    configGroups(_definitions, options) {
      const option = options.database;
      return option && !isDatabase(option) ? [databaseGroup] : [];
    },
    start(context): BatteryRuntime<DatabaseExports> {
      const option = context.options.database;
      if (!option) return {};
      const logger = context.logger;
      const settings: DatabaseOptions = option === true || isDatabase(option) ? {} : option;
      const config = context.config.database;
      const perRequest = !isDatabase(option) && (settings.perRequest ?? platform().onWorkers());
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
              // the database being unreachable is a 503 as for any statement; anything else (a refused
              // history, a failed migration, a bad list) answers 500 `Query error` until it is fixed,
              // and the log says why (the message, SQL and all, is not the caller's)
              if (isUnavailableError(error)) throw error;
              logger.error('database: migrations refused', { error: String(error) });
              throw new QueryError(undefined, error);
            }
            migrated = true;
            if (applied.length > 0) logger.info('database: migrations applied', { applied });
          };
      const make = (): Database => {
        // configGroups loads the database group whenever `database` is not a ready Database
        if (config === undefined) throw new TypeError('database: the DATABASE_* configuration was not loaded');
        return connectDatabase(config, { logger, init });
      };
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

      // per request (Workers): each request's own pool, closed once its response is final
      const scopes = new WeakMap<RequestContext, Database>();
      const runtime: BatteryRuntime<DatabaseExports> = {
        extractor(param) {
          if (param.kind !== 'db') return undefined;
          if (!perRequest) return (ctx) => timed(db, ctx);
          return (ctx) => {
            let scoped = scopes.get(ctx);
            if (scoped === undefined) scopes.set(ctx, (scoped = make()));
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
          const scoped = scopes.get(ctx);
          // after the user's waitUntil tasks, which may still use the request's handle
          if (scoped !== undefined) afterTasks(ctx, () => scoped.close());
        };
      }
      return runtime;
    },
  };
}
