import { neonConfig } from '@neondatabase/serverless';
import WebSocket from 'ws';

/**
 * Gives Neon's driver a WebSocket on Node (Node 20 has none built in). Importing this module is
 * enough; `fetch-batteries/node` does it for you.
 * @example import 'fetch-batteries/node'; // before the first query (it imports this module)
 */
export function useWsForNeon(): void {
  if (neonConfig.webSocketConstructor === undefined) neonConfig.webSocketConstructor = WebSocket;
}

useWsForNeon();
