import type { LineSink } from '../kernel/platform.ts';

// Where batches of log lines go: `write` gets whole lines, each ending in `\n`; a returned promise
// means the sink is busy until it settles (lines arriving meanwhile wait in the buffer).
export type { LineSink };

export interface LineBufferOptions {
  /** Write at once when this many characters wait, without waiting for the turn to end (default 64 KiB). */
  batchChars?: number;
  /** The most that may wait while the sink is busy; lines beyond it are dropped and counted (default 4 MiB). */
  maxChars?: number;
  /** The line written (after the lines that made it) to say how many were dropped. */
  dropLine?: (dropped: number) => string;
  /** Runs the batch write later in this event-loop turn (default: setImmediate where it exists, else setTimeout 0). */
  schedule?: (fn: () => void) => void;
}

const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
// setImmediate runs after the I/O callbacks of a turn, so every request parsed in it shares one write
const laterThisTurn: (fn: () => void) => void =
  typeof g.setImmediate === 'function' ? (fn) => void g.setImmediate?.(fn) : (fn) => void setTimeout(fn, 0);

/** Buffers with lines not yet handed to their sink: what an exit hook still has to write. */
const unwritten = new Set<LineBuffer>();

/** Writes every buffer's waiting lines synchronously (process exit). */
export function flushAllSync(): void {
  for (const buffer of [...unwritten]) buffer.flushSync();
}

/**
 * Log lines collected and written in batches: one write per event-loop turn, or sooner once
 * `batchChars` wait. A request pays for appending its line to a string, not for a system call.
 * Memory is bounded: while a slow sink is busy at most `maxChars` wait; lines past that are
 * dropped, counted in `dropped`, and reported by one line once the sink takes writes again.
 * @example
 * const buffer = new LineBuffer({ write: (chunk) => void process.stdout.write(chunk) });
 * const logger = consoleJsonLogger('info', (line) => buffer.push(line));
 */
export class LineBuffer {
  /** Lines dropped since the buffer was made. */
  dropped = 0;
  private pending = '';
  private unreported = 0;
  private scheduled = false;
  private busy: Promise<void> | undefined;
  private readonly batchChars: number;
  private readonly maxChars: number;
  private readonly schedule: (fn: () => void) => void;
  private readonly onTurn = () => {
    this.scheduled = false;
    this.writeNow();
  };

  constructor(
    private readonly sink: LineSink,
    private readonly options: LineBufferOptions = {},
  ) {
    this.batchChars = options.batchChars ?? 64 * 1024;
    this.maxChars = options.maxChars ?? 4 * 1024 * 1024;
    this.schedule = options.schedule ?? laterThisTurn;
  }

  /** Adds one line (without its newline). Never throws, never writes synchronously unless a batch is full. */
  push(line: string): void {
    if (this.pending.length + line.length >= this.maxChars) {
      this.dropped++;
      this.unreported++;
      return;
    }
    // registered for the exit hook once per batch, not once per line
    if (this.pending === '') unwritten.add(this);
    this.pending += `${line}\n`;
    // a busy sink takes the rest when it is done
    if (this.busy !== undefined) return;
    if (this.pending.length >= this.batchChars) this.writeNow();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.onTurn);
    }
  }

  /** Writes what waits and resolves once the sink has taken all of it (`app.close()`, shutdown). */
  async flush(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if (this.busy !== undefined) await this.busy;
      else if (this.pending !== '' || this.unreported > 0) this.writeNow();
      else return;
    }
  }

  /** Writes what waits with the sink's synchronous write, when it has one (process exit). */
  flushSync(): void {
    const chunk = this.take();
    if (chunk === '') return;
    try {
      if (this.sink.writeSync) this.sink.writeSync(chunk);
      else void this.sink.write(chunk);
    } catch {
      // at exit there is nowhere left to report a failed write
    }
  }

  private take(): string {
    let chunk = this.pending;
    this.pending = '';
    unwritten.delete(this);
    if (this.unreported > 0 && this.options.dropLine) {
      chunk += `${this.options.dropLine(this.unreported)}\n`;
    }
    this.unreported = 0;
    return chunk;
  }

  private writeNow(): void {
    if (this.busy !== undefined) return;
    const chunk = this.take();
    if (chunk === '') return;
    let result: undefined | PromiseLike<unknown>;
    try {
      result = this.sink.write(chunk);
    } catch {
      // a broken sink loses its batch, never the response
      return;
    }
    if (result === undefined || typeof result.then !== 'function') return;
    const done = () => {
      this.busy = undefined;
      if (this.pending !== '' || this.unreported > 0) this.writeNow();
    };
    this.busy = Promise.resolve(result).then(done, done);
  }
}
