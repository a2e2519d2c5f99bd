import type { Driver } from '../types.ts';
import { int8Types, type PgPoolLike, type PoolSettings, poolDriver, poolOptions } from './pool.ts';

export interface NeonSettings extends PoolSettings {
  /**
   * A WebSocket-to-TCP proxy in front of a plain PostgreSQL (`ws://127.0.0.1:8080/v1`): the
   * connection then skips Neon's TLS-in-WebSocket and password pipelining.
   */
  wsProxy?: string;
}

/**
 * Neon's serverless driver: a node-postgres compatible Pool over WebSocket, for Neon itself and for
 * any PostgreSQL behind a WebSocket proxy. Works on Workers (one pool per request), Node (needs
 * `neonConfig.webSocketConstructor`: `fetch-batteries/node` sets it), Bun and Deno alike
 * @example const driver = await createNeonDriver({ connectionString: env.DATABASE_URL, poolSize: 5, acquireTimeoutMs: 5000, statementTimeoutMs: 0 });
 */
export async function createNeonDriver(settings: NeonSettings): Promise<Driver> {
  const { Pool, neonConfig, types } = await import('@neondatabase/serverless');
  if (neonConfig.webSocketConstructor === undefined && typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
    throw new Error('No WebSocket: on Node 20 import "fetch-batteries/node" (or set neonConfig.webSocketConstructor to the ws package)');
  }
  if (settings.wsProxy !== undefined) {
    const secure = /^wss:\/\//i.test(settings.wsProxy);
    const base = settings.wsProxy.replace(/^wss?:\/\//i, '').replace(/\/+$/, '');
    // neonConfig is process-wide; every pool in this process then goes through the same proxy
    neonConfig.wsProxy = (host, port) => `${base}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = secure;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    ...poolOptions(settings),
    types: int8Types(types.getTypeParser.bind(types) as (oid: number, format?: string) => unknown),
  }) as unknown as PgPoolLike;
  return poolDriver('neon', pool, settings.logger);
}
