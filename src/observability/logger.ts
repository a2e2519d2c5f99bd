import type { Logger, LogLevel } from '../kernel/logger.ts';
import { stdoutLines } from './stdout-lines.ts';

export type { Logger, LogLevel };

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The built-in JSON logger's writer for a record whose fields are already serialised (`fields`
 * is `,"key":value...`). The request log formats its fixed-shape line by hand, about twice as
 * fast as `JSON.stringify` of the fields object; any other logger gets the fields object. A
 * logger that has it keeps its level for life (the request log asks `isLevelEnabled` once).
 * Non-enumerable, so a spread copy (`{ ...consoleJsonLogger(), info: mine }`) does not inherit it.
 * The key changes whenever the writer's arguments change meaning, so copies of two versions never share it.
 */
export const WRITE_JSON: unique symbol = Symbol.for('fetch-batteries.writeJson/json-message');
/** `message` is already a JSON string literal (the request log builds it escaped, skipping a second escape pass). */
export type JsonWriter = (severity: LogLevel, message: string, fields: string) => void;

/** What `WRITE_JSON` holds: the writer, and the `info`/`warn` it stands in for. */
interface FastPath {
  write: JsonWriter;
  info: Logger['info'];
  warn: Logger['warn'];
}

function setFastPath(logger: Logger, write: JsonWriter): void {
  Object.defineProperty(logger, WRITE_JSON, { value: { write, info: logger.info, warn: logger.warn } satisfies FastPath });
}

/**
 * The hand-written-line writer, only while the logger's `info` and `warn` are still the ones it
 * was made with: a user who replaced either must receive the request line through it.
 */
export function jsonWriterOf(logger: Logger): JsonWriter | undefined {
  const fast = (logger as { [WRITE_JSON]?: Partial<FastPath> })[WRITE_JSON];
  if (typeof fast?.write !== 'function') return undefined;
  return fast.info === logger.info && fast.warn === logger.warn ? fast.write : undefined;
}

// printable ASCII without `"` and `\`: such a string is its own JSON body
const JSON_SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A JSON string literal, exactly as `JSON.stringify(value)` writes it.
 * @example jsonString('say "hi"'); // '"say \\"hi\\""'
 */
export function jsonString(value: string): string {
  return JSON_SAFE.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** Printable ASCII without `"` and `\\`: the string is its own JSON body. */
export function isJsonSafe(value: string): boolean {
  return JSON_SAFE.test(value);
}

/**
 * One JSON object per line on standard output, the shape log collectors (and the Python package)
 * expect. Without a `sink`, lines are written in batches, one write per event-loop turn (on
 * Workers, one `console.log` per line); `flush()` writes what waits, and so do `app.close()`
 * and the process's exit.
 * @example createApp({ logger: consoleJsonLogger('debug') })
 */
export function consoleJsonLogger(level: LogLevel = 'info', sink?: (line: string) => void): Logger {
  const stdout = sink === undefined ? stdoutLines() : undefined;
  const out: (line: string) => void = sink ?? stdout?.push ?? ((line) => console.log(line));
  const min = RANK[level];
  const write = (severity: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[severity] < min) return;
    out(recordLine(isoNow(), SEVERITY[severity], message, fields));
  };
  const writeJson: JsonWriter = (severity, message, fields) => {
    if (RANK[severity] < min) return;
    out(`{"timestamp":"${isoNow()}","severity":"${SEVERITY[severity]}","message":${message}${fields}}`);
  };
  const logger: Logger = {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    isLevelEnabled: (level) => RANK[level] >= min,
  };
  if (stdout !== undefined) logger.flush = stdout.flush;
  setFastPath(logger, writeJson);
  return logger;
}

const SEVERITY: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

let lastMs = 0;
let lastIso = '';
/** `new Date().toISOString()` costs ~0.5 µs; under load many lines share a millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/**
 * One record as a JSON line (JSON.stringify escapes newlines and quotes, so no value can break it).
 * `timestamp`, `severity` and `message` always win: a field of one of those names is kept as
 * `field_<name>`, so a `severity` field cannot turn an ERROR line into a DEBUG one.
 */
function recordLine(timestamp: string, severity: string, message: string, fields: Record<string, unknown> | undefined): string {
  if (fields === undefined) return safeStringify({ timestamp, severity, message }, false);
  // `logger.error('failed', err)` from untyped code: the Error's own keys alone would drop message and stack
  if (fields instanceof Error) fields = { error: fields };
  const record: Record<string, unknown> =
    'timestamp' in fields || 'severity' in fields || 'message' in fields
      ? renamedClashes(timestamp, severity, message, fields)
      : { timestamp, severity, message, ...fields };
  return safeStringify(record, containsError(fields, 0));
}

function renamedClashes(timestamp: string, severity: string, message: string, fields: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = { timestamp, severity, message };
  for (const [key, value] of Object.entries(fields)) {
    record[key === 'timestamp' || key === 'severity' || key === 'message' ? `field_${key}` : key] = value;
  }
  return record;
}

const MAX_DEPTH = 8;

/** Whether an Error sits in `value` (JSON.stringify writes one as `{}`); walks objects only, so flat fields cost a loop of `typeof`. */
function containsError(value: object, depth: number): boolean {
  if (value instanceof Error) return true;
  // deeper than anyone logs, or a cycle: let the replacer look
  if (depth > MAX_DEPTH) return true;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && containsError(item, depth + 1)) return true;
  }
  return false;
}

function safeStringify(value: unknown, withErrors: boolean): string {
  try {
    // a replacer doubles the cost of every line: only pay for it when an Error (or, on a throw, a bigint) is actually there
    return withErrors ? JSON.stringify(value, logReplacer()) : JSON.stringify(value);
  } catch {
    try {
      return JSON.stringify(value, logReplacer());
    } catch {
      return JSON.stringify({ severity: 'ERROR', message: 'unserialisable log record' });
    }
  }
}

/** bigints as strings, Errors as `serialiseError` writes them; one per line, as it remembers the Errors it wrote. */
function logReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<Error>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (!(value instanceof Error)) return value;
    // a cause chain that loops back (`a.cause = b; b.cause = a`) would otherwise never end
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    return serialiseError(value);
  };
}

/**
 * An Error as a log field, as pino's `err` serializer writes it: `name`, `message`, `stack`, its own
 * enumerable properties (`code`, `status`...), and its `cause` and `AggregateError` `errors`
 * (serialised the same way by the replacer, which visits them next).
 */
function serialiseError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const key of Object.keys(error)) {
    if (!(key in out)) out[key] = (error as unknown as Record<string, unknown>)[key];
  }
  if ('cause' in error && error.cause !== undefined) out.cause = error.cause;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) out.errors = errors;
  return out;
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, isLevelEnabled: () => false };

/**
 * Wraps a user logger so a throwing logger can never break a response. A raw pino instance
 * type-checks as a `Logger`, but its `(message, ...args)` would drop the fields: it is adapted.
 */
export function guardLogger(logger: Logger): Logger {
  if (isObjectFirst(logger)) logger = pinoLogger(logger);
  const guard =
    (fn: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      try {
        logger[fn](message, fields);
      } catch {
        // a broken log sink must not turn a good response into a 500
      }
    };
  const guarded: Logger = { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
  if (typeof logger.isLevelEnabled === 'function') {
    guarded.isLevelEnabled = (level) => {
      try {
        return logger.isLevelEnabled?.(level) !== false;
      } catch {
        return true;
      }
    };
  }
  const flush = logger.flush;
  if (typeof flush === 'function') {
    guarded.flush = async () => {
      try {
        await flush.call(logger);
      } catch {
        // closing the app must not fail because the log sink did
      }
    };
  }
  const writeJson = jsonWriterOf(logger);
  if (writeJson !== undefined) {
    setFastPath(guarded, (severity, message, fields) => {
      try {
        writeJson(severity, message, fields);
      } catch {
        // as above: the sink's failure stays the sink's
      }
    });
  }
  return guarded;
}

/** Loggers that take the fields first and the message second: pino, bunyan. */
export interface ObjectFirstLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  isLevelEnabled?(level: string): boolean;
  /** pino's: writes what its asynchronous destination still holds, then calls back. */
  flush?(callback?: (error?: Error) => void): void;
}

const PINO_SERIALIZERS = Symbol.for('pino.serializers');

/** pino (its instances and children carry this symbol), or anything shaped like it: `child`, `bindings`, a string `level`. */
function isObjectFirst(logger: Logger): logger is Logger & ObjectFirstLogger {
  const l = logger as unknown as Record<PropertyKey, unknown>;
  return PINO_SERIALIZERS in l || (typeof l.child === 'function' && typeof l.bindings === 'function' && typeof l.level === 'string');
}

/**
 * Adapts pino (or bunyan), whose methods take `(fields, message)`, to the `Logger` shape.
 * `createApp` does it by itself for a pino instance; bunyan needs it.
 * @example
 * import pino from 'pino';
 * const app = createApp({ controllers, logger: pinoLogger(pino({ level: 'info' })) });
 */
export function pinoLogger(pino: ObjectFirstLogger): Logger {
  const logger: Logger = {
    debug: (message, fields) => pino.debug(fields ?? {}, message),
    info: (message, fields) => pino.info(fields ?? {}, message),
    warn: (message, fields) => pino.warn(fields ?? {}, message),
    error: (message, fields) => pino.error(fields ?? {}, message),
  };
  if (typeof pino.isLevelEnabled === 'function') logger.isLevelEnabled = (level) => pino.isLevelEnabled?.(level) !== false;
  if (typeof pino.flush === 'function') logger.flush = () => new Promise<void>((resolve) => pino.flush?.(() => resolve()));
  return logger;
}
