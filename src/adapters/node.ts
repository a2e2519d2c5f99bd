import type { Server } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { serve as honoServe } from '@hono/node-server';
import { syncHandler } from '../app/handle.ts';
// Neon's driver needs a WebSocket constructor on Node 20
import './neon-node.ts';

/** What `serve` needs from an app: its bound `fetch` and `close` (`createApp` and `augmentApp` give both). */
export interface ServableApp {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Default 8080; `0` picks a free port (read it back from `server.port`). */
  port?: number;
  /** Default `0.0.0.0`. */
  hostname?: string;
  /** Aborting it shuts the server down gracefully, like SIGTERM. */
  signal?: AbortSignal;
  /** Shut down on SIGTERM and SIGINT, then exit the process (default true). */
  handleSignals?: boolean;
  /** How long in-flight requests may take to finish once shutdown starts (default 10 000 ms). */
  shutdownTimeoutMs?: number;
}

export interface NodeServer {
  /** e.g. `http://127.0.0.1:8080` (a wildcard hostname is shown as 127.0.0.1). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (bounded), then closes the app once. */
  close(): Promise<void>;
}

/**
 * Serves an app on Node with `@hono/node-server`, with graceful shutdown on SIGTERM/SIGINT.
 * The app reads `process.env` itself (`createApp` without `env`).
 * @example
 * import { serve } from 'fetch-batteries/node';
 * const server = await serve(app, { port: 8080 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<NodeServer> {
  const hostname = options.hostname ?? '0.0.0.0';
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000;

  const server = await new Promise<ReturnType<typeof honoServe>>((resolve, reject) => {
    // a Response handed back synchronously is written at once, with no promise or close listener
    const fetch = syncHandler(app.fetch);
    const s = honoServe({ fetch, port: options.port ?? 8080, hostname }, () => resolve(s));
    s.once('error', reject);
  });
  // Tracked per connection, not per request: the drain below needs to know which sockets are
  // busy only once shutdown starts, and a per-request listener costs every request.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const address = server.address() as AddressInfo;
  const shownHost = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      removeSignalHandlers();
      const http = server as Server;
      // Stop accepting with net's close, not http's: http's also destroys every socket whose
      // response is ended but not yet flushed, cutting a large body to a slow client short.
      const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      await drain(sockets, timeoutMs);
      // Whatever is still open after the bound goes now.
      http.closeAllConnections?.();
      await stopped;
      await app.close();
    })();
    return closing;
  };

  const onSignal = () => {
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('fetch-batteries: shutdown failed', error);
        process.exit(1);
      },
    );
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  function removeSignalHandlers() {
    if (!handleSignals) return;
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });

  return { url: `http://${shownHost}:${address.port}`, port: address.port, close };
}

/** How long a socket with no response must read nothing before the drain closes it. */
const QUIET_MS = 250;

/**
 * Waits (bounded) until every connection has finished its response, closing each one once it is
 * idle (a keep-alive socket would otherwise linger until its idle timeout). Node keeps the
 * response being written on `socket._httpMessage` until its bytes are flushed, the signal
 * http-terminator relies on too. A socket with no response counts as idle only after reading
 * nothing for QUIET_MS: one whose next request is still arriving is left to finish it (then its
 * response is told to close the connection).
 */
function drain(sockets: Set<Socket>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  const seen = new Map<Socket, { bytes: number; at: number }>();
  return new Promise<void>((resolve) => {
    const sweep = () => {
      const now = Date.now();
      for (const socket of sockets) {
        const response = (socket as { _httpMessage?: { headersSent: boolean; shouldKeepAlive: boolean } | null })._httpMessage;
        if (response) {
          if (!response.headersSent) response.shouldKeepAlive = false;
          seen.delete(socket);
          continue;
        }
        const last = seen.get(socket);
        if (last === undefined || last.bytes !== socket.bytesRead) seen.set(socket, { bytes: socket.bytesRead, at: now });
        else if (now - last.at >= QUIET_MS) socket.destroy();
      }
      if (sockets.size === 0 || now - started >= timeoutMs) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(sweep, 20);
    sweep();
  });
}

// Swagger UI's files from node_modules, so /docs works offline: serve(withDocsAssets(app))
export { type DocsAssetsOptions, LOCAL_DOCS_ASSETS, withDocsAssets } from './docs-assets.ts';
