import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = await new Promise<ReturnType<typeof honoServe>>((resolve, reject) => {
    // a Response handed back synchronously is written at once, with no promise or close listener
    const fetch = syncHandler(app.fetch);
    const s = honoServe({ fetch, port: options.port ?? 8080, hostname }, () => resolve(s));
    s.once('error', reject);
  });
  // Counted on Node's response, not around app.fetch: a request is done once its bytes are written.
  server.on('request', (_req: unknown, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      removeSignalHandlers();
      const http = server as Server;
      // New connections are refused from here on; idle keep-alive sockets are dropped.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections?.();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      // Whatever is still open after the bound (or a keep-alive socket just released) goes now.
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

// Swagger UI's files from node_modules, so /docs works offline: serve(withDocsAssets(app))
export { type DocsAssetsOptions, LOCAL_DOCS_ASSETS, withDocsAssets } from './docs-assets.ts';
