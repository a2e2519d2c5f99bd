import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { JSONWebKeySet } from 'jose';

/** How the server answers: `ok` serves the key set; the others are the failures jose must survive. */
export type JwksMode = 'ok' | 'error' | 'garbage' | 'not-a-key-set' | 'slow' | 'reset';

export interface JwksServer {
  /** `http://127.0.0.1:<port>/` (usable as an issuer / AUTH_PROVIDER_DOMAIN). */
  url: string;
  /** `<url>.well-known/jwks.json`. */
  jwksUrl: string;
  /** Requests served so far (any mode). */
  readonly requests: number;
  mode: JwksMode;
  /** Replaces the key set served in `ok` mode. */
  jwks: JSONWebKeySet;
  /** Milliseconds `slow` mode waits before answering (default 10 000). */
  slowMs: number;
  close(): Promise<void>;
}

/**
 * A real HTTP JWKS endpoint on 127.0.0.1 (random port) for tests, with switches to make it fail.
 * @example const server = await startJwksServer(keys.jwks); server.mode = 'error'; await server.close();
 */
export async function startJwksServer(jwks: JSONWebKeySet): Promise<JwksServer> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const state: JwksServer = {
    url: '',
    jwksUrl: '',
    get requests() {
      return requests;
    },
    mode: 'ok',
    jwks,
    slowMs: 10_000,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const answer = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    req.resume();
    switch (state.mode) {
      case 'ok':
        return answer(res, 200, JSON.stringify(state.jwks));
      case 'error':
        return answer(res, 500, '{"error":"boom"}');
      case 'garbage':
        return answer(res, 200, '<html>definitely not json');
      case 'not-a-key-set':
        return answer(res, 200, '{"keys":"nope"}');
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(res, 200, JSON.stringify(state.jwks));
        }, state.slowMs);
        timers.add(timer);
        return;
      }
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/`;
  state.jwksUrl = `${state.url}.well-known/jwks.json`;
  return state;
}
