import net from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { postgresAddress } from './postgres.ts';

export interface PgProxy {
  /** For DATABASE_WS_PROXY: `ws://127.0.0.1:<port>/v1`. */
  url: string;
  /** Live WebSocket connections (each is one PostgreSQL connection). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A WebSocket-to-TCP proxy, as Neon runs in front of its servers: each WebSocket becomes one TCP
 * connection to the PostgreSQL of TEST_DATABASE_URL. Only ever connects to that target host (the
 * port of a loopback `address` is honoured, so a test can point the app at a closed port).
 */
export async function startPgProxy(target = postgresAddress()): Promise<PgProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const live = new Set<WebSocket>();
  server.on('connection', (ws, request) => {
    live.add(ws);
    // Neon asks for `?address=host:port`; honour the port only, and only towards loopback
    const address = new URL(request.url ?? '/', 'ws://proxy').searchParams.get('address');
    const port = address && /^(127\.0\.0\.1|localhost):\d+$/.test(address) ? Number(address.split(':')[1]) : target.port;
    const socket = net.connect(port, target.host);
    const pending: Buffer[] = [];
    socket.on('connect', () => {
      for (const chunk of pending.splice(0)) socket.write(chunk);
    });
    ws.on('message', (data: Buffer) => (socket.connecting ? pending.push(data) : socket.write(data)));
    socket.on('data', (chunk) => ws.send(chunk));
    const end = () => {
      live.delete(ws);
      socket.destroy();
      ws.close();
    };
    ws.on('close', end);
    ws.on('error', end);
    socket.on('close', end);
    socket.on('error', end);
  });
  await new Promise<void>((resolve) => server.on('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/v1`,
    get connections() {
      return live.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of live) ws.terminate();
        server.close(() => resolve());
      }),
  };
}
