/**
 * Where the benchmark's request log lines go. In a server process started by bench/run.ts
 * (`BENCH_LOG=stdout`) they go to standard output, a pipe the runner drains, as in a container;
 * in process they are formatted and handed to a sink that keeps nothing, so the in-process
 * numbers measure the framework, not the pipe. Three ways to write them, side by side:
 * - `batched`: our default (`consoleJsonLogger()`), a line buffer written once per event-loop turn;
 * - `line`: one `console.log` per line, as the logger wrote before batching (and as most loggers do);
 * - `pino`: pino with its asynchronous destination (sonic-boom, `sync: false`), the usual fast Node logger.
 */
import pino from 'pino';
import { consoleJsonLogger, type Logger } from '../src/index.ts';
import { LineBuffer } from '../src/observability/log-buffer.ts';

export type LogKind = 'batched' | 'line' | 'pino';

const g = globalThis as unknown as { Deno?: { env: { get(name: string): string | undefined } } };
const env = (name: string): string | undefined => (g.Deno ? g.Deno.env.get(name) : process.env[name]);

/** True in a server process of bench/run.ts: log lines go to standard output (a drained pipe). */
export const TO_STDOUT = env('BENCH_LOG') === 'stdout';

const keepNothing = new LineBuffer({ write: () => undefined });

export function benchLogger(kind: LogKind): Logger {
  if (kind === 'pino') {
    // pino's fastest documented setup: asynchronous destination, no pretty-printing
    const destination = pino.destination({ dest: TO_STDOUT ? 1 : '/dev/null', sync: false, minLength: 4096 });
    return pino({ level: 'info', base: undefined }, destination) as unknown as Logger;
  }
  if (kind === 'line') return consoleJsonLogger('info', TO_STDOUT ? (line) => console.log(line) : () => {});
  return TO_STDOUT ? consoleJsonLogger('info') : consoleJsonLogger('info', (line) => keepNothing.push(line));
}

/** How "Hono + the same batteries" writes its JSON line: `console.log`, as hono/logger does. */
export const honoLogLine: (line: string) => void = TO_STDOUT ? (line) => console.log(line) : () => {};

export const LOG_TARGET_NAMES: Record<LogKind, string> = {
  batched: 'fetch-batteries (all batteries)',
  line: 'fetch-batteries (all batteries, console.log per line)',
  pino: 'fetch-batteries (all batteries, pino async)',
};
