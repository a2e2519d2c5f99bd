import { type DocsAssetsOptions, withDocsAssets } from './docs-assets.ts';

/** What `serve` needs from an app: its bound `fetch` and `close` (`createApp` and `augmentApp` give both, and `ready`). */
export interface ServableApp {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  close(): Promise<void>;
  /** Awaited before listening when present: opens the database and runs migrations. */
  ready?(): Promise<void>;
}

export interface ServeOptions {
  /**
   * Default 8080; `0` picks a free port (read it back from `server.port`). The `PORT` variable's
   * text may be passed as it is (`port: process.env.PORT`): empty or unset means the default, and
   * anything but an integer from 0 to 65535 is refused before the app starts.
   */
  port?: number | string;
  /** Default `0.0.0.0`. */
  hostname?: string;
  /** Aborting it shuts the server down gracefully, like SIGTERM. */
  signal?: AbortSignal;
  /** Shut down on SIGTERM and SIGINT, then exit the process (default true). */
  handleSignals?: boolean;
  /** How long in-flight requests may take to finish once shutdown starts (default 10 000 ms). */
  shutdownTimeoutMs?: number;
  /**
   * Serve Swagger UI's files from the installed `swagger-ui-dist` under `/docs/assets`, so `/docs`
   * works offline (default true; `false` leaves the page on its CDN fallback).
   */
  docsAssets?: boolean | DocsAssetsOptions;
}

/** A running server: where it listens and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8080` (a wildcard hostname is shown as 127.0.0.1). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (bounded), then closes the app once. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;

/**
 * The port to listen on, checked before anything starts: a typo in `PORT` is named as such,
 * rather than a runtime's own error after the database has opened (Node) or a random port (`''`).
 * @example listenPort({ port: '3000' }); // 3000
 */
export function listenPort(options: ServeOptions): number {
  const given = options.port;
  if (given === undefined || given === '') return DEFAULT_PORT;
  const port = typeof given === 'string' && /^\d{1,5}$/.test(given.trim()) ? Number(given.trim()) : given;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535 (PORT), not ${JSON.stringify(given)}`);
  }
  return port;
}
export const DEFAULT_HOSTNAME = '0.0.0.0';
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * What every `serve` does before listening: warm the app up (a database that cannot open yet is
 * reported, and requests then retry it lazily, as they would without a warm-up) and put the
 * Swagger UI files in front of it. Returns the fetch function to serve.
 */
export async function prepare(app: ServableApp, options: ServeOptions): Promise<ServableApp['fetch']> {
  if (typeof app.ready === 'function') {
    try {
      await app.ready();
    } catch (error) {
      console.error(`fetch-batteries: warm-up failed, serving anyway (requests retry it): ${describe(error)}`);
    }
  }
  // an app without /docs (docs: false, testing: true) gets no Swagger UI files either
  const appOptions = (app as { options?: { docs?: unknown; testing?: boolean } }).options;
  if (options.docsAssets === false || appOptions?.docs === false || appOptions?.testing === true) return app.fetch;
  try {
    return withDocsAssets(app.fetch, options.docsAssets === true ? {} : options.docsAssets);
  } catch {
    // swagger-ui-dist is not installed: /docs falls back to its CDN
    return app.fetch;
  }
}

/**
 * The error and its causes, `A: x <- B: y`: a QueryError's own message says only "Query error",
 * its cause why (a missing driver, a refused login). Driver messages carry no passwords; a URL's
 * credentials are masked all the same, in case a cause quotes one.
 */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (typeof e !== 'object') break;
  }
  return parts.join(' <- ').replace(/(\w+:\/\/)[^\s/?#]*@/g, '$1***@');
}

/** The URL to print for a bound hostname: wildcards become 127.0.0.1, IPv6 gets brackets. */
export function urlFor(hostname: string, port: number): string {
  const shown = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;
  return `http://${shown}:${port}`;
}

/** The process hooks a runtime offers for signals and exiting. */
export interface ProcessHooks {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): void;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): void;
  exit(code: number): void;
}

// the shutdowns a signal started, across every server of the process
const signalShutdowns = new Set<Promise<void>>();

/**
 * Runs `shutdown` once, whether it is asked for by `close()`, the AbortSignal or SIGTERM/SIGINT
 * (which then exit 0 once every server the signal stopped has drained, or 1 when a shutdown failed).
 * Returns the `close` to hand back.
 */
export function shutdownOnce(shutdown: () => Promise<void>, options: ServeOptions, hooks: ProcessHooks): () => Promise<void> {
  const handleSignals = options.handleSignals ?? true;
  let closing: Promise<void> | undefined;
  let signalled = false;
  let repeated = false;
  const close = (): Promise<void> => {
    closing ??= shutdown().finally(() => {
      // only once shutdown is over: a signal meanwhile must not find the runtime's default (exit at once)
      if (handleSignals) {
        hooks.off('SIGTERM', onTerm);
        hooks.off('SIGINT', onInt);
      }
    });
    return closing;
  };
  function onSignal(signal: 'SIGTERM' | 'SIGINT') {
    // Ctrl-C under `npm start` delivers SIGINT twice (the terminal's to the group, npm's relay):
    // the drain already under way is bounded by shutdownTimeoutMs, so a repeat only waits for it
    if (signalled) {
      if (!repeated) {
        repeated = true;
        console.warn(
          `fetch-batteries: ${signal} ignored: shutdown already in progress (requests in flight get up to ${options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS} ms)`,
        );
      }
      return;
    }
    signalled = true;
    const mine = close().catch((error: unknown) => {
      console.error('fetch-batteries: shutdown failed', error);
      throw error;
    });
    signalShutdowns.add(mine);
    // every server of the process got this signal (listeners run one after another, before this
    // microtask): exit once all of them have drained, not when the first idle one has
    void Promise.resolve()
      .then(() => Promise.allSettled([...signalShutdowns]))
      .then((results) => hooks.exit(results.some((r) => r.status === 'rejected') ? 1 : 0));
  }
  const onTerm = () => onSignal('SIGTERM');
  const onInt = () => onSignal('SIGINT');
  if (handleSignals) {
    hooks.on('SIGTERM', onTerm);
    hooks.on('SIGINT', onInt);
  }
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return close;
}

/** The WARN for requests still in flight when `shutdownTimeoutMs` cut them off (nothing when none were). */
export function warnCutOff(inFlight: number, timeoutMs: number): void {
  if (inFlight > 0) {
    console.warn(`fetch-batteries: WARN shutdownTimeoutMs (${timeoutMs} ms) passed: ${inFlight} request(s) still in flight cut off`);
  }
}

/**
 * How long a draining server must see no request before it closes the connections left: one whose
 * next request is already on its way gets to deliver it (and is answered with `Connection: close`).
 */
export const QUIET_MS = 250;

/** The response with `Connection: close`, for one answered after shutdown started. */
export function closingConnection(response: Response): Response {
  try {
    response.headers.set('connection', 'close');
    return response;
  } catch {
    // immutable headers (a fetched or redirect Response): copy it
    const copy = new Response(response.body, response);
    copy.headers.set('connection', 'close');
    return copy;
  }
}

/** Resolves once `done()` is true (checked every 20 ms) or at `deadline` (a `Date.now()` time). */
export function waitUntil(done: () => boolean, deadline: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => {
      if (done() || Date.now() >= deadline) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 20);
    check();
  });
}

/** Waits for `promise`, but not past `deadline` (a `Date.now()` time). */
export async function within(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}
