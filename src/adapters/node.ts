import type { Server } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { serve as honoServe } from '@hono/node-server';
import { syncHandler } from '../app/sync-handler.ts';
import {
  DEFAULT_HOSTNAME,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  listenPort,
  prepare,
  QUIET_MS,
  type RunningServer,
  type ServableApp,
  type ServeOptions,
  shutdownOnce,
  urlFor,
  warnCutOff,
} from './serve-common.ts';
// Neon's driver needs a WebSocket constructor on Node 20
import './neon-node.ts';

export type { RunningServer, ServableApp, ServeOptions } from './serve-common.ts';

/** The server `serve` resolves with (the same shape on Bun and Deno). */
export type NodeServer = RunningServer;

/**
 * Serves an app on Node with `@hono/node-server`: warms it up (`app.ready()`) before listening,
 * serves Swagger UI's files for an offline `/docs`, and shuts down gracefully on SIGTERM/SIGINT
 * (stop accepting, let in-flight requests finish, `app.close()`, exit 0).
 * The app reads `process.env` itself (`createApp` without `env`).
 * @example
 * import { serve } from 'fetch-batteries/node';
 * const server = await serve(app, { port: 8080 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<NodeServer> {
  // a bad PORT is named before the database opens
  const port = listenPort(options);
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  // warm up before listening: the first request finds the database open and migrated
  const handler = await prepare(app, options);

  const server = await new Promise<ReturnType<typeof honoServe>>((resolve, reject) => {
    // a Response handed back synchronously is written at once, with no promise or close listener
    const fetch = syncHandler(handler);
    const s = honoServe({ fetch, port, hostname }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${hostname} is already in use: choose another (PORT)`, { cause: error })
          : error,
      ),
    );
  });
  // A client that half-closes after a complete request (shutdown(SHUT_WR), `nc -N`) still gets its
  // response; Node then marks it the connection's last, so the socket closes once it is written
  // (an idle one closes at once). A field of http.Server since Node 0.x, missing from @types/node.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // Tracked per connection, not per request: the drain below needs to know which sockets are
  // busy only once shutdown starts, and a per-request listener costs every request.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const address = server.address() as AddressInfo;

  const close = shutdownOnce(
    async () => {
      const http = server as Server;
      // Stop accepting with net's close, not http's: http's also destroys every socket whose
      // response is ended but not yet flushed, cutting a large body to a slow client short.
      const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      // Every response from now on closes its connection once flushed (`Connection: close`), so a
      // keep-alive client busy on it goes elsewhere instead of keeping the drain waiting.
      http.prependListener('request', (_request, response) => {
        response.shouldKeepAlive = false;
      });
      const busy = await drain(sockets, timeoutMs);
      // Whatever is still open after the bound goes now.
      warnCutOff(busy, timeoutMs);
      http.closeAllConnections?.();
      await stopped;
      await app.close();
    },
    options,
    {
      on: (signal, listener) => process.on(signal, listener),
      off: (signal, listener) => process.off(signal, listener),
      exit: (code) => process.exit(code),
    },
  );
  return { url: urlFor(hostname, address.port), port: address.port, close };
}

/**
 * Waits (bounded) until every connection has finished its response, closing each one once it is
 * idle (a keep-alive socket would otherwise linger until its idle timeout). Node keeps the
 * response being written on `socket._httpMessage` until its bytes are flushed, the signal
 * http-terminator relies on too. A socket with no response counts as idle only after reading
 * nothing for QUIET_MS: one whose next request is still arriving is left to finish it (its
 * response, like every one since shutdown started, closes the connection). Resolves with how many
 * responses were still unfinished at the bound (0 when all finished).
 */
function drain(sockets: Set<Socket>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const seen = new Map<Socket, { bytes: number; at: number }>();
  return new Promise<number>((resolve) => {
    const sweep = () => {
      const now = Date.now();
      let busy = 0;
      for (const socket of sockets) {
        const response = (socket as { _httpMessage?: { headersSent: boolean; shouldKeepAlive: boolean } | null })._httpMessage;
        if (response) {
          if (!response.headersSent) response.shouldKeepAlive = false;
          seen.delete(socket);
          busy++;
          continue;
        }
        const last = seen.get(socket);
        if (last === undefined || last.bytes !== socket.bytesRead) seen.set(socket, { bytes: socket.bytesRead, at: now });
        else if (now - last.at >= QUIET_MS) socket.destroy();
      }
      if (sockets.size === 0 || now - started >= timeoutMs) {
        clearInterval(timer);
        resolve(busy);
      }
    };
    const timer = setInterval(sweep, 20);
    sweep();
  });
}

// Swagger UI's files from node_modules (serve() adds them itself): for another server, withDocsAssets(app)
export { type DocsAssetsOptions, LOCAL_DOCS_ASSETS, withDocsAssets } from './docs-assets.ts';
