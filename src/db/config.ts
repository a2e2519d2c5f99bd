import * as v from 'valibot';
import { type ConfigGroup, integerVar, isProductionValue, optionalString } from '../kernel/config/env.ts';
import { platform } from '../kernel/platform.ts';

export type DriverName = 'pglite' | 'pg' | 'neon';

export interface DatabaseConfig {
  /** The connection string (or a PGlite `memory://` / directory); built from DATABASE_HOST... when only those are set. */
  DATABASE_URL: string | undefined;
  /** Overrides the driver chosen from the URL. */
  DATABASE_DRIVER: DriverName | undefined;
  DATABASE_POOL_SIZE: number;
  /** Longest wait for a pooled connection (and for connecting) before a 503. */
  DATABASE_ACQUIRE_TIMEOUT_MS: number;
  /** Server-side `statement_timeout`; 0 = none. */
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  /** The `/healthcheck` database check's own timeout. */
  DATABASE_HEALTHCHECK_TIMEOUT_MS: number;
  /** A WebSocket-to-TCP proxy for the Neon driver in front of a plain PostgreSQL (`ws://127.0.0.1:8080/v1`). */
  DATABASE_WS_PROXY: string | undefined;
  /** The driver these settings select. */
  driver: DriverName;
}

/** DATABASE_HOST/PORT/USER/PASSWORD/NAME, as the Python packages read them, into one URL. */
function urlFromParts(env: Record<string, string | undefined>): string | undefined {
  const host = env.DATABASE_HOST?.trim();
  if (!host) return undefined;
  const user = encodeURIComponent(env.DATABASE_USER?.trim() ?? '');
  const password = env.DATABASE_PASSWORD ? `:${encodeURIComponent(env.DATABASE_PASSWORD)}` : '';
  const auth = user ? `${user}${password}@` : '';
  const port = env.DATABASE_PORT?.trim() ? `:${env.DATABASE_PORT.trim()}` : '';
  return `postgres://${auth}${host}${port}/${encodeURIComponent(env.DATABASE_NAME?.trim() ?? 'postgres')}`;
}

/** Which driver a URL means: PGlite for none, `memory://` or a path; Neon behind a proxy, for Neon hosts and on Workers; else pg. */
export function chooseDriver(url: string | undefined, explicit: DriverName | undefined, wsProxy: string | undefined): DriverName {
  if (explicit !== undefined) return explicit;
  if (url === undefined || !/^postgres(?:ql)?:\/\//i.test(url)) return 'pglite';
  if (wsProxy !== undefined || platform().onWorkers()) return 'neon';
  const host = /@([^/:?]+)/.exec(url)?.[1] ?? '';
  return /\.neon\.(tech|build)$/i.test(host) ? 'neon' : 'pg';
}

/**
 * The `database` config group. PGlite is the default outside production; in production a
 * DATABASE_URL is required.
 * @example const config = createApp({ database: true }).config?.database; // DatabaseConfig | undefined
 */
export const databaseGroup: ConfigGroup<DatabaseConfig> = {
  name: 'database',
  schema: v.pipe(
    v.looseObject({
      ENVIRONMENT: v.optional(v.string(), 'PRODUCTION'),
      DATABASE_URL: optionalString,
      DATABASE_DRIVER: v.optional(
        v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['pg', 'neon', 'pglite', ''], 'must be pg, neon or pglite')),
      ),
      DATABASE_POOL_SIZE: integerVar(10, 1),
      DATABASE_ACQUIRE_TIMEOUT_MS: integerVar(5000, 1),
      DATABASE_STATEMENT_TIMEOUT_MS: integerVar(30_000, 0),
      DATABASE_HEALTHCHECK_TIMEOUT_MS: integerVar(2000, 1),
      DATABASE_WS_PROXY: optionalString,
    }),
    v.transform((c) => {
      const url = c.DATABASE_URL ?? urlFromParts(c as Record<string, string | undefined>);
      const explicit = c.DATABASE_DRIVER === '' ? undefined : (c.DATABASE_DRIVER as DriverName | undefined);
      return {
        // blank counts as unset (PRODUCTION), as the general group reads it; a value it refuses
        // (`staging`) counts as PRODUCTION here, so this group never opens PGlite for it
        production: isProductionValue(c.ENVIRONMENT),
        DATABASE_URL: url,
        DATABASE_DRIVER: explicit,
        DATABASE_POOL_SIZE: c.DATABASE_POOL_SIZE,
        DATABASE_ACQUIRE_TIMEOUT_MS: c.DATABASE_ACQUIRE_TIMEOUT_MS,
        DATABASE_STATEMENT_TIMEOUT_MS: c.DATABASE_STATEMENT_TIMEOUT_MS,
        DATABASE_HEALTHCHECK_TIMEOUT_MS: c.DATABASE_HEALTHCHECK_TIMEOUT_MS,
        DATABASE_WS_PROXY: c.DATABASE_WS_PROXY,
        driver: chooseDriver(url, explicit, c.DATABASE_WS_PROXY),
      };
    }),
    v.check(
      (c) => !(c.production && c.DATABASE_URL === undefined),
      'DATABASE_URL: is required when ENVIRONMENT is PRODUCTION (the embedded PGlite is for development and tests) (database)',
    ),
    v.check(
      // PGlite needs a file system and would only fail at the first statement there
      (c) => !(c.driver === 'pglite' && platform().onWorkers()),
      'DATABASE_URL: a postgres:// URL is required on Cloudflare Workers, where the embedded PGlite cannot run (database)',
    ),
    v.check(
      (c) => c.driver === 'pglite' || (c.DATABASE_URL !== undefined && /^postgres(?:ql)?:\/\//i.test(c.DATABASE_URL)),
      'DATABASE_URL: must be a postgres:// URL for the pg and neon drivers (database)',
    ),
    v.check(
      // any other scheme (`mysql://`, `postgresql+psycopg2://`, a typo) would become a PGlite directory named after the URL
      (c) =>
        c.driver !== 'pglite' ||
        c.DATABASE_URL === undefined ||
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(c.DATABASE_URL) ||
        /^(?:postgres(?:ql)?|memory|file|idb|opfs-ahp):\/\//i.test(c.DATABASE_URL),
      'DATABASE_URL: must be a postgres:// URL, memory:// or a directory (database)',
    ),
    v.transform(({ production: _p, ...rest }) => rest),
  ),
};
