import { refusingHandler, syncHandler } from '../app/sync-handler.ts';
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
  waitUntil,
  warnCutOff,
  within,
} from './serve-common.ts';

export { type DocsAssetsOptions, LOCAL_DOCS_ASSETS, withDocsAssets } from './docs-assets.ts';
export type { RunningServer, ServableApp, ServeOptions } from './serve-common.ts';

// The parts of Deno's API this adapter uses (the package type-checks with Node's types).
interface DenoHttpServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
}
type DenoSignal = 'SIGTERM' | 'SIGINT';
interface DenoGlobal {
  serve(
    options: { port: number; hostname: string; onListen(addr: unknown): void; onError(error: unknown): Response },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): DenoHttpServer;
  addSignalListener(signal: DenoSignal, listener: () => void): void;
  removeSignalListener(signal: DenoSignal, listener: () => void): void;
  exit(code: number): never;
}

const FALLBACK_500 = '{"message":"Internal server error"}';

/** The 503 for a server whose app is not one of ours (an app's own 503 is logged and counted). */
function shuttingDown(): Response {
  return new Response('{"message":"Service is shutting down"}', {
    status: 503,
    headers: { 'content-type': 'application/json', connection: 'close', 'retry-after': '1' },
  });
}

/**
 * Serves an app with `Deno.serve`, with the same guarantees as `fetch-batteries/node`: it warms
 * the app up (`app.ready()`) before listening, serves Swagger UI's files for an offline `/docs`
 * (needs `--allow-read`), and on SIGTERM/SIGINT lets in-flight requests finish (bounded by
 * `shutdownTimeoutMs`; requests arriving meanwhile get 503 and a closed connection), stops
 * listening (`server.shutdown()`), closes the app and exits 0.
 * @example
 * import { serve } from 'fetch-batteries/deno';
 * const server = await serve(app, { port: 8080 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<RunningServer> {
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
  if (deno === undefined) throw new Error('fetch-batteries/deno runs on Deno: on Node use fetch-batteries/node');
  // a bad PORT is named before the database opens
  const port = listenPort(options);
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const handler = syncHandler(await prepare(app, options));
  const refuse = refusingHandler(app.fetch);
  let listening: () => void = () => {};
  const listened = new Promise<void>((resolve) => {
    listening = resolve;
  });
  // Deno's shutdown() cuts the body of a request still arriving, so requests in flight finish
  // first; meanwhile new ones are refused with 503. Deno ignores a `Connection: close` set here and
  // closes a connection only when it stops, resetting any whose next request is on its way: so each
  // 503 is held until shutdown() has begun, and the connection it answers is busy, not idle, then.
  let inFlight = 0;
  let draining = false;
  let release: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    release = resolve;
  });
  // synchronous when the app answers synchronously: no async function, await and promise per request
  const tracked = (request: Request, info: unknown): Response | Promise<Response> => {
    if (draining) {
      // answered now (so logged once, like any response), sent once shutdown() has begun; the
      // header tells the client not to send its next request on this connection
      const refused = refuse === undefined ? shuttingDown() : refuse(request, info);
      return Promise.all([refused, stopping]).then(([response]) => closingConnection(response));
    }
    inFlight++;
    let out: Response | Promise<Response>;
    try {
      out = handler(request, info);
    } catch (error) {
      inFlight--;
      throw error;
    }
    if (!(out instanceof Promise)) {
      inFlight--;
      return out;
    }
    return out.finally(() => {
      inFlight--;
    });
  };
  let server: DenoHttpServer;
  try {
    server = deno.serve(
      {
        port,
        hostname,
        // instead of Deno's own "Listening on" line: the caller prints server.url
        onListen: () => listening(),
        // app.fetch never rejects; a wrapper around it might
        onError: () => new Response(FALLBACK_500, { status: 500, headers: { 'content-type': 'application/json' } }),
      },
      tracked,
    );
  } catch (error) {
    // the same words as on Node and Bun, instead of Deno's "Address already in use" with no port
    if ((error as { name?: unknown }).name === 'AddrInUse') {
      throw new Error(`port ${port} on ${hostname} is already in use: choose another (PORT)`, { cause: error });
    }
    throw error;
  }
  await listened;
  const close = shutdownOnce(
    async () => {
      const deadline = Date.now() + timeoutMs;
      // long enough for every busy keep-alive connection to send its next request (held above)
      const held = Date.now() + QUIET_MS;
      draining = true;
      await waitUntil(() => inFlight === 0 && Date.now() >= held, deadline);
      // shutdown() stops listening, answers what is held and closes each connection; past the
      // bound the process exit (or the caller) ends it
      const stopped = server.shutdown();
      release();
      await within(stopped, deadline);
      warnCutOff(inFlight, timeoutMs);
      await app.close();
    },
    options,
    {
      on: (signal, listener) => deno.addSignalListener(signal, listener),
      off: (signal, listener) => deno.removeSignalListener(signal, listener),
      exit: (code) => deno.exit(code),
    },
  );
  return { url: urlFor(hostname, server.addr.port), port: server.addr.port, close };
}
