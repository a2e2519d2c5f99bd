/**
 * What the core needs from the runtime it runs on, as one port: the kernel and the batteries read
 * it here and never touch a runtime's API themselves. `src/adapters/platform.ts` implements it for
 * Node, Bun, Deno and Workers and installs it when the app layer loads; until then (a kernel
 * module used on its own) the portable answers below hold: no env, no files, no stdout sink.
 */
export interface Platform {
  /** The process environment; `undefined` where the env arrives with each request (Workers). */
  env(): Record<string, string | undefined> | undefined;
  /** A small text file's contents, read synchronously at start-up; `undefined` when there is none or no file system. */
  readTextFile(path: string): string | undefined;
  /** Standard output as a batch sink; `undefined` where a `console.log` per line is right (Workers). */
  stdoutSink(): LineSink | undefined;
  /** Runs `fn` (synchronous work only) when the process is about to exit, also after an uncaught error. */
  onProcessExit(fn: () => void): void;
  /** Cloudflare Workers (workerd): no files, no process, per-request I/O. */
  onWorkers(): boolean;
  /**
   * The runtime's `Response` converts a headers record slowly: build with the content type alone
   * and set the other headers afterwards (Deno; Node's undici and Bun are the other way round).
   */
  readonly headersInitIsSlow: boolean;
  /**
   * The runtime builds `request.url` from the Host header and the request target without checking
   * or normalising them (Deno): a Host such as `x/secure` moves the path, and `/a/../b` stays as
   * sent. The pipeline then reads the header on every request and resolves dot segments itself.
   */
  readonly hostUnchecked: boolean;
}

/** Where a batch of log lines goes (the observability battery's line buffer writes through it). */
export interface LineSink {
  write(chunk: string): undefined | PromiseLike<unknown>;
  /** A write that has finished when it returns, for the last lines at process exit. */
  writeSync?(chunk: string): void;
}

const PORTABLE: Platform = {
  env: () => undefined,
  readTextFile: () => undefined,
  stdoutSink: () => undefined,
  onProcessExit: () => {},
  onWorkers: () => false,
  headersInitIsSlow: false,
  hostUnchecked: false,
};

let current: Platform = PORTABLE;

/** The platform the core runs on. */
export function platform(): Platform {
  return current;
}

/** Installs the runtime's platform (`src/adapters/platform.ts` does, once, as it loads). */
export function installPlatform(implementation: Platform): void {
  current = implementation;
}
