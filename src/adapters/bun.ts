import { syncHandler } from '../app/sync-handler.ts';
import {
  closingConnection,
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
  within,
} from './serve-common.ts';

export { type DocsAssetsOptions, LOCAL_DOCS_ASSETS, withDocsAssets } from './docs-assets.ts';
export type { RunningServer, ServableApp, ServeOptions } from './serve-common.ts';

// The parts of Bun's API this adapter uses (the package type-checks without bun-types).
interface BunServer {
  readonly port: number;
  /** Requests not yet answered in full. */
  readonly pendingRequests: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunGlobal {
  serve(options: {
    port: number;
    hostname: string;
    development: boolean;
    reusePort: boolean;
    fetch(request: Request, server: BunServer): Response | Promise<Response>;
    error(error: Error): Response;
  }): BunServer;
}
interface BunProcess {
  on(signal: string, listener: () => void): void;
  off(signal: string, listener: () => void): void;
  exit(code: number): never;
}

const FALLBACK_500 = '{"message":"Internal server error"}';

/**
 * Serves an app with `Bun.serve`, with the same guarantees as `fetch-batteries/node`: it warms
 * the app up (`app.ready()`) before listening, serves Swagger UI's files for an offline `/docs`,
 * and on SIGTERM/SIGINT stops accepting, lets in-flight requests finish (`server.stop()`, bounded
 * by `shutdownTimeoutMs`; every response from then on closes its connection), closes the app and
 * exits 0.
 * @example
 * import { serve } from 'fetch-batteries/bun';
 * const server = await serve(app, { port: 8080 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<RunningServer> {
  const runtime = (globalThis as { Bun?: BunGlobal }).Bun;
  if (runtime === undefined) throw new Error('fetch-batteries/bun runs on Bun: on Node use fetch-batteries/node');
  // a bad PORT is named before the database opens
  const port = listenPort(options);
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  // the app's synchronous handler: a Response Bun can send without waiting on a promise
  const handler = syncHandler(await prepare(app, options));
  // Once shutdown starts every response closes its connection. stop(false) closes idle keep-alive
  // connections at once, resetting any whose next request is on its way: so for a moment first,
  // requests are answered but their responses held until stop(false) has begun, which keeps every
  // busy connection busy (answered in full, then closed) rather than idle then.
  let draining = false;
  let release: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    release = resolve;
  });
  const whileDraining = async (request: Request, bunServer: BunServer): Promise<Response> => {
    const response = await handler(request, bunServer);
    await stopping;
    return closingConnection(response);
  };
  let server: BunServer;
  try {
    server = runtime.serve({
      port,
      hostname,
      // never Bun's own error page with a stack trace
      development: false,
      // Bun turns SO_REUSEPORT on with development: false: a second server on the port would start
      // and take half the connections, instead of failing as on Node and Deno
      reusePort: false,
      fetch: (request, bunServer) => (draining ? whileDraining(request, bunServer) : handler(request, bunServer)),
      // app.fetch never rejects; a wrapper around it might
      error: () => new Response(FALLBACK_500, { status: 500, headers: { 'content-type': 'application/json' } }),
    });
  } catch (error) {
    // the same words as on Node and Deno, instead of Bun's "Is port N in use?"
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${hostname} is already in use: choose another (PORT)`, { cause: error });
    }
    throw error;
  }
  const proc = process as unknown as BunProcess;
  const close = shutdownOnce(
    async () => {
      const deadline = Date.now() + timeoutMs;
      draining = true;
      // long enough for every busy keep-alive connection to send its next request
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      // stops listening, closes idle connections, lets in-flight requests finish
      const stopped = server.stop(false);
      release();
      await within(stopped, deadline);
      // whatever is still open after the bound goes now
      warnCutOff(server.pendingRequests, timeoutMs);
      await server.stop(true);
      await app.close();
    },
    options,
    {
      on: (signal, listener) => proc.on(signal, listener),
      off: (signal, listener) => proc.off(signal, listener),
      exit: (code) => proc.exit(code),
    },
  );
  return { url: urlFor(hostname, server.port), port: server.port, close };
}
