import { platform } from '../kernel/platform.ts';
import { flushAllSync, LineBuffer } from './log-buffer.ts';

export interface LineWriter {
  push(line: string): void;
  flush(): Promise<void>;
}

let shared: LineWriter | null | undefined;

/**
 * The process's standard output as one shared line buffer (so lines from several loggers keep
 * their order), or `undefined` where lines are better written one `console.log` at a time
 * (Workers). Made on first use, with a hook that writes what is left when the process exits.
 */
export function stdoutLines(): LineWriter | undefined {
  if (shared !== undefined) return shared ?? undefined;
  const sink = platform().stdoutSink();
  if (sink === undefined) {
    shared = null;
    return undefined;
  }
  const buffer = new LineBuffer(sink, { dropLine });
  platform().onProcessExit(flushAllSync);
  shared = { push: (line) => buffer.push(line), flush: () => buffer.flush() };
  return shared;
}

/** The line that reports dropped lines, in the JSON logger's shape. */
export function dropLine(dropped: number): string {
  return `{"timestamp":"${new Date().toISOString()}","severity":"WARN","message":"log lines dropped: the log sink is slower than the service","droppedLines":${dropped}}`;
}
