/** Anything with these four methods is a logger: console, pino, winston... */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Optional (pino has it): lets the request log skip building lines nobody will see. */
  isLevelEnabled?(level: LogLevel): boolean;
  /** Optional: resolves once buffered lines are written (`app.close()` awaits it). */
  flush?(): void | Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
