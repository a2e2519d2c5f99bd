import type { Driver } from '../types.ts';
import { int8Types, type PgPoolLike, type PoolSettings, poolDriver, poolOptions } from './pool.ts';

// a variable keeps bundlers from pulling node-postgres into the portable build
const PG_MODULE = 'pg';

interface PgModule {
  Pool: new (options: Record<string, unknown>) => PgPoolLike;
  types: { getTypeParser(oid: number, format?: string): unknown };
}

/**
 * node-postgres over plain TCP (Node, Bun, Deno). `pg` is an optional peer dependency, loaded on
 * first use.
 * @example const driver = await createPgDriver({ connectionString: 'postgres://localhost/app', poolSize: 10, acquireTimeoutMs: 5000, statementTimeoutMs: 30000 });
 */
export async function createPgDriver(settings: PoolSettings): Promise<Driver> {
  let mod: PgModule;
  try {
    const imported = (await import(/* @vite-ignore */ PG_MODULE)) as { default?: PgModule } & PgModule;
    mod = imported.default ?? imported;
  } catch (error) {
    throw new Error(`DATABASE_DRIVER=pg needs the "pg" package (npm install pg): ${String(error)}`);
  }
  const pool = new mod.Pool({ ...poolOptions(settings), types: int8Types(mod.types.getTypeParser.bind(mod.types)) });
  return poolDriver('pg', pool, settings.logger);
}
