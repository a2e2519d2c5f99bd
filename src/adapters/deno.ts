import {
  DEFAULT_HOSTNAME,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  prepare,
  type RunningServer,
  type ServableApp,
  type ServeOptions,
  shutdownOnce,
  urlFor,
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

/**
 * Serves an app with `Deno.serve`, with the same guarantees as `fetch-batteries/node`: it warms
 * the app up (`app.ready()`) before listening, serves Swagger UI's files for an offline `/docs`
 * (needs `--allow-read`), and on SIGTERM/SIGINT stops accepting, lets in-flight requests finish
 * (`server.shutdown()`, bounded by `shutdownTimeoutMs`), closes the app and exits 0.
 * @example
 * import { serve } from 'fetch-batteries/deno';
 * const server = await serve(app, { port: 8080 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<RunningServer> {
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
  if (deno === undefined) throw new Error('fetch-batteries/deno runs on Deno: on Node use fetch-batteries/node');
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const handler = await prepare(app, options);
  let listening: () => void = () => {};
  const listened = new Promise<void>((resolve) => {
    listening = resolve;
  });
  const server = deno.serve(
    {
      port: options.port ?? DEFAULT_PORT,
      hostname,
      // instead of Deno's own "Listening on" line: the caller prints server.url
      onListen: () => listening(),
      // app.fetch never rejects; a wrapper around it might
      onError: () => new Response(FALLBACK_500, { status: 500, headers: { 'content-type': 'application/json' } }),
    },
    handler,
  );
  await listened;
  const close = shutdownOnce(
    async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      // shutdown() stops listening at once and resolves when in-flight requests have finished;
      // past the bound the process exit (or the caller) ends what is left
      await Promise.race([server.shutdown(), bound]);
      clearTimeout(timer);
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
