import type { LineSink } from '../kernel/platform.ts';

/** Cloudflare Workers (workerd): no files, no process, per-request I/O. */
export function onWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
}

/**
 * The runtime's standard output as a batch sink, found through globals only (the portable entry
 * loads this file, so no `node:` import): `Deno.stdout.writeSync` on Deno, `Bun.write(Bun.stdout)` on Bun,
 * `process.stdout` on Node. `undefined` on Workers (and anywhere else), where the platform
 * collects `console.log` calls one by one and a line per call is right.
 */
export function stdoutSink(): LineSink | undefined {
  const g = globalThis as RuntimeGlobals;
  if (onWorkers()) return undefined;
  if (g.Deno?.stdout && typeof g.Deno.stdout.writeSync === 'function') return denoSink(g.Deno.stdout);
  if (g.Bun && typeof g.Bun.write === 'function' && g.Bun.stdout !== undefined) return bunSink(g.Bun, g.process);
  // `in`, not a read: Node makes its stdout stream (and loads the stream modules) on first read
  const proc = g.process;
  if (proc !== undefined && 'stdout' in proc) return nodeSink(proc);
  return undefined;
}

/**
 * Runs `fn` (synchronous work only) when the process is about to exit: Node's and Bun's `exit`
 * event (also after an uncaught error), Deno's `unload` and its uncaught `error` and
 * `unhandledrejection`. `fn` may run more than once.
 */
export function onProcessExit(fn: () => void): void {
  const g = globalThis as RuntimeGlobals;
  if (g.Deno && typeof g.addEventListener === 'function') {
    // an uncaught error or rejection ends Deno without `unload`
    for (const type of ['unload', 'error', 'unhandledrejection'] as const) g.addEventListener(type, fn);
    return;
  }
  if (typeof g.process?.on === 'function') g.process.on('exit', fn);
}

interface WritableLike {
  write(chunk: string, done?: () => void): boolean;
  once?(event: 'drain', fn: () => void): unknown;
  /** Characters (of string chunks) the stream has taken and not finished writing. */
  readonly writableLength?: number;
  /** The chunks waiting behind the write in progress. */
  readonly writableBuffer?: readonly { chunk: unknown }[];
  /** libuv's handle of a pipe or terminal: the bytes it still holds of the write in progress. */
  _handle?: { writeQueueSize?: number } | null;
}

interface DenoWriter {
  writeSync(bytes: Uint8Array): number;
}

interface RuntimeGlobals {
  navigator?: { userAgent?: string };
  addEventListener?(type: 'unload' | 'error' | 'unhandledrejection', fn: () => void): void;
  Deno?: { stdout?: DenoWriter };
  Bun?: { write(destination: unknown, data: string): Promise<number>; stdout?: unknown };
  process?: {
    stdout?: WritableLike;
    on?(event: 'exit', fn: () => void): unknown;
    getBuiltinModule?(id: string): unknown;
  };
}

type WriteSync = (fd: number, data: Uint8Array) => number;

/**
 * How long the exit write waits, in all, for a full pipe to be read (a lagging log collector).
 * Bounded: a reader that never reads would otherwise keep a crashed process, and its port, alive.
 */
export const EXIT_WRITE_MS = 2000;

/**
 * `fs.writeSync` on file descriptor 1, where `process.getBuiltinModule` offers it (Node ≥ 20.16,
 * Bun), for the exit write: a full non-blocking pipe (EAGAIN) is retried every millisecond until
 * `EXIT_WRITE_MS` after the first exit write; what is left then is dropped, and standard error
 * says how much.
 */
function fdWriteSync(proc: RuntimeGlobals['process']): ((chunk: string | Uint8Array) => void) | undefined {
  let writeSync: WriteSync | undefined;
  try {
    writeSync = (proc?.getBuiltinModule?.('node:fs') as { writeSync?: WriteSync } | undefined)?.writeSync;
  } catch {
    return undefined;
  }
  if (typeof writeSync !== 'function') return undefined;
  const write = writeSync;
  let deadline: number | undefined;
  let pause: Int32Array | undefined;
  return (chunk) => {
    // a pipe may take part of a large chunk: count bytes, not characters
    let bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    deadline ??= Date.now() + EXIT_WRITE_MS;
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(write(1, bytes));
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EAGAIN' || Date.now() >= deadline) {
          try {
            write(
              2,
              new TextEncoder().encode(
                `fetch-batteries: ${bytes.length} bytes of log lines not written at exit: standard output was not read\n`,
              ),
            );
          } catch {
            // nowhere left to say it
          }
          return;
        }
        pause ??= new Int32Array(new SharedArrayBuffer(4));
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  };
}

/**
 * Node: `process.stdout.write`, synchronous for files and terminals, and for pipes until the pipe
 * is full; then the stream queues the rest and is busy until 'drain'. The stream is read on the
 * first write: an app that logs nothing never makes it.
 */
function nodeSink(proc: NonNullable<RuntimeGlobals['process']>): LineSink {
  let stdout: WritableLike | undefined;
  // chunks the stream has not yet reported written, in order: Node drops a full pipe's queue at
  // exit, so the exit hook writes what of them is still queued
  let unconfirmed: string[] = [];
  const confirmed = () => void unconfirmed.shift();
  const writeQueuedSync = (writeSync: (chunk: string | Uint8Array) => void) => {
    if (stdout === undefined || unconfirmed.length === 0) return;
    const queued = queuedBytes(stdout, unconfirmed);
    unconfirmed = [];
    // a full pipe refuses it for now: writeSync waits for the reader, for a bounded time
    if (queued.length > 0) writeSync(queued);
  };
  const sink = withLazyWriteSync(
    {
      write(chunk) {
        if (stdout === undefined) {
          stdout = proc.stdout as WritableLike;
          // also when no line waits in the buffer at exit (its own hook then writes nothing)
          proc.on?.('exit', () => {
            try {
              sink.writeSync?.('');
            } catch {
              // at exit there is nowhere left to report a failed write (a closed pipe)
            }
          });
        }
        unconfirmed.push(chunk);
        if (stdout.write(chunk, confirmed) || typeof stdout.once !== 'function') return undefined;
        return new Promise<void>((resolve) => stdout?.once?.('drain', resolve));
      },
    },
    proc,
    writeQueuedSync,
  );
  return sink;
}

/**
 * The bytes of `chunks` (the sink's unconfirmed chunks) that the stream still holds at exit: what
 * libuv has left of the write in progress, then the chunks waiting behind it. When the stream
 * also holds another writer's data (a `console.log`), the chunks still waiting whole (anyone's)
 * are certain: the one in progress is left out rather than written twice.
 */
function queuedBytes(stdout: WritableLike, chunks: string[]): Uint8Array {
  const encoder = new TextEncoder();
  const waiting = stdout.writableBuffer ?? [];
  const held = stdout.writableLength ?? 0;
  // the stream counts string chunks in characters: a tail of ours adding up to its count is all it holds
  let from = chunks.length;
  for (let length = 0; from > 0 && length < held; ) length += chunks[--from].length;
  const tail = chunks.slice(from);
  if (tail.join('').length === held) {
    let bytes = stdout._handle?.writeQueueSize ?? 0;
    for (const { chunk } of waiting) bytes += typeof chunk === 'string' ? encoder.encode(chunk).length : 0;
    const all = encoder.encode(tail.join(''));
    return all.subarray(Math.max(0, all.length - bytes));
  }
  // every chunk still waiting whole, ours and the other writer's, in order; the one being written
  // when the process ends is not known for certain, and is left out rather than written twice
  const whole = waiting.flatMap(({ chunk }) => (typeof chunk === 'string' ? [chunk] : [])).join('');
  // a write cut short leaves a line without its end: start the rest on a line of its own
  const cut = (stdout._handle?.writeQueueSize ?? 0) > 0 && whole !== '' ? '\n' : '';
  return encoder.encode(cut + whole);
}

/** Bun: `Bun.write(Bun.stdout, chunk)`, busy until Bun reports it written. */
function bunSink(bun: NonNullable<RuntimeGlobals['Bun']>, proc: RuntimeGlobals['process']): LineSink {
  return withLazyWriteSync({ write: (chunk) => bun.write(bun.stdout, chunk) }, proc);
}

/**
 * `writeSync` found when first asked for (at exit): loading `node:fs` costs milliseconds of
 * start-up on Bun and Node, and most processes never need it.
 */
function withLazyWriteSync(
  sink: LineSink,
  proc: RuntimeGlobals['process'],
  before?: (writeSync: (chunk: string | Uint8Array) => void) => void,
): LineSink {
  let found = false;
  let writeSync: LineSink['writeSync'];
  return Object.defineProperty(sink, 'writeSync', {
    enumerable: true,
    get() {
      if (!found) {
        found = true;
        const write = fdWriteSync(proc);
        // what the sink has handed on but not written goes first, so lines keep their order
        writeSync =
          write && before
            ? (chunk) => {
                before(write);
                write(chunk);
              }
            : write;
      }
      return writeSync;
    },
  });
}

/**
 * Deno: `Deno.stdout.writeSync`, once per batch. Synchronous so that no batch is still in flight
 * when the process exits (an uncaught error ends Deno at once); it may take part of a chunk.
 */
function denoSink(stdout: DenoWriter): LineSink {
  const encoder = new TextEncoder();
  const writeSync = (chunk: string) => {
    let bytes = encoder.encode(chunk);
    for (let i = 0; bytes.length > 0 && i < 10_000; i++) bytes = bytes.subarray(stdout.writeSync(bytes));
  };
  return {
    write(chunk) {
      writeSync(chunk);
      return undefined;
    },
    writeSync,
  };
}
