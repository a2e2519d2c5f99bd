import { CLIENT_CLOSED_STATUS } from '../kernel/client-abort.ts';
import { type RequestContext, type RequestState, stateOf, urlOf } from '../kernel/context.ts';
import { utf8Length } from '../kernel/respond.ts';
import { isJsonSafe, type JsonWriter, jsonString, jsonWriterOf, type Logger, type LogLevel } from './logger.ts';

/** Query parameter names whose values never reach the log (substrings: redacting too much is the safe failure). */
const SECRET_NAME = /token|key|secret|pass|pwd|otp|pin$|auth|session|signature|sig$|credential|code|jwt|cookie/i;
/** Request headers never logged (the debug-level header dump), besides any whose name matches SECRET_NAME. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']);
export const REDACTED = '[REDACTED]';

/** The Google Cloud `httpRequest` fields the Python package logged, plus the request id. */
export interface HttpRequestFields {
  requestMethod: string;
  requestUrl: string;
  status: number;
  /** From `Content-Length`; absent when the size is only known once the body is sent. */
  responseSize?: number;
  userAgent?: string;
  remoteIp?: string;
  /** Seconds with an `s` suffix (`"0.001234s"`), as Cloud Logging expects. */
  latency: string;
}

/**
 * `https://h/p?token=abc&page=2` -> `https://h/p?token=[REDACTED]&page=2`. Parameters whose name
 * looks like a secret (token, key, secret, pass, otp, pin, auth, session, signature...) keep their name only.
 * @example redactUrl('https://h/cb?code=abc&state=1'); // 'https://h/cb?code=[REDACTED]&state=1'
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  if (query === '') return url;
  const parts = query.split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    const rawName = eq < 0 ? parts[i] : parts[i].slice(0, eq);
    if (eq >= 0 && SECRET_NAME.test(decodeName(rawName))) {
      parts[i] = `${rawName}=${REDACTED}`;
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q + 1)}${parts.join('&')}` : hash < 0 ? url : url.slice(0, hash);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Request headers for a debug log, with credentials replaced: the fixed set, and any header named
 * like a secret (`X-Auth-Token`, `X-Goog-IAP-JWT-Assertion`, `X-Amz-Security-Token`...), by the query's rule.
 */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = SECRET_HEADERS.has(name) || SECRET_NAME.test(name) ? REDACTED : value;
  return out;
}

/**
 * One structured line per request: `GET "https://h/patients/1" 200` with `httpRequest` and
 * `requestId` fields; 5xx at warn, everything else at info. At debug level the request headers
 * (credentials redacted) are added to the same line.
 * @example
 * const log = requestLogger(consoleJsonLogger('info'));
 * log(ctx, response, 1.234); // {"severity":"INFO","message":"GET \"https://h/p\" 200","requestId":...,"httpRequest":{...}}
 */
export function requestLogger(logger: Logger): (ctx: RequestContext, response: Response, ms: number) => void {
  const writeJson = jsonWriterOf(logger);
  if (writeJson !== undefined) return consoleRequestLogger(logger, writeJson);
  // asked per request: pino's level can change while the process runs
  const enabled = logger.isLevelEnabled?.bind(logger);
  return (ctx, response, ms) => {
    const status = stateOf(ctx).clientClosed ? CLIENT_CLOSED_STATUS : response.status;
    const severity = status >= 500 ? 'warn' : 'info';
    if (enabled !== undefined && !enabled(severity)) return;
    const request = ctx.request;
    const requestUrl = redactUrl(urlOf(ctx));
    const httpRequest: HttpRequestFields = {
      requestMethod: request.method,
      requestUrl,
      status,
      responseSize: responseSize(request.method, stateOf(ctx), response),
      userAgent: request.headers.get('user-agent') ?? undefined,
      remoteIp: ctx.remoteIp,
      latency: `${latencySeconds(ms)}s`,
    };
    const fields: Record<string, unknown> = { requestId: ctx.requestId, httpRequest };
    if (enabled?.('debug') === true) fields.requestHeaders = redactedHeaders(request.headers);
    // a serialised URL has `"` and control characters percent-encoded; the sink's JSON.stringify escapes the rest
    logger[severity](`${request.method} "${requestUrl}" ${status}`, fields);
  };
}

/**
 * The same line for the built-in JSON logger, written by hand in the key order JSON.stringify
 * would use. Its level is fixed, so the level checks happen once; at debug level (request
 * headers added) it takes the generic path.
 */
function consoleRequestLogger(logger: Logger, writeJson: JsonWriter): (ctx: RequestContext, response: Response, ms: number) => void {
  const enabled = (level: LogLevel) => logger.isLevelEnabled?.(level) !== false;
  // a spread copy leaves the (non-enumerable) fast path behind
  if (enabled('debug')) return requestLogger({ ...logger });
  const infoOn = enabled('info');
  const warnOn = enabled('warn');
  return (ctx, response, ms) => {
    const state = stateOf(ctx);
    const status = state.clientClosed ? CLIENT_CLOSED_STATUS : response.status;
    if (!(status >= 500 ? warnOn : infoOn)) return;
    const request = ctx.request;
    // a method is an HTTP token and a request id is checked or a UUID: neither needs escaping
    const method = request.method;
    const requestUrl = redactUrl(urlOf(ctx));
    // a URL that is its own JSON body (the usual case) also goes into the message as it is
    const plainUrl = isJsonSafe(requestUrl);
    const urlJson = plainUrl ? `"${requestUrl}"` : JSON.stringify(requestUrl);
    let fields = `,"requestId":"${ctx.requestId}","httpRequest":{"requestMethod":"${method}","requestUrl":${urlJson},"status":${status}`;
    const size = responseSize(method, state, response);
    if (size !== undefined) fields += `,"responseSize":${size}`;
    const userAgent = request.headers.get('user-agent');
    if (userAgent !== null) fields += `,"userAgent":${jsonString(userAgent)}`;
    const remoteIp = ctx.remoteIp;
    if (remoteIp !== undefined) fields += `,"remoteIp":${jsonString(remoteIp)}`;
    fields += `,"latency":"${latencySeconds(ms)}s"}`;
    const message = plainUrl ? `"${method} \\"${requestUrl}\\" ${status}"` : JSON.stringify(`${method} "${requestUrl}" ${status}`);
    writeJson(status >= 500 ? 'warn' : 'info', message, fields);
  };
}

/**
 * Milliseconds as seconds with six decimals (`1.234` -> `"0.001234"`), what `(ms / 1000).toFixed(6)`
 * writes, in integer arithmetic: `toFixed` is a runtime call costing ~0.1 µs on every engine.
 * @example latencySeconds(1234.5678); // '1.234568'
 */
export function latencySeconds(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us < 9e15)) return (ms / 1000).toFixed(6);
  const whole = Math.floor(us / 1e6);
  const frac = us - whole * 1e6;
  const pad = frac >= 100000 ? '' : frac >= 10000 ? '0' : frac >= 1000 ? '00' : frac >= 100 ? '000' : frac >= 10 ? '0000' : '00000';
  return `${whole}.${pad}${frac}`;
}

/**
 * The body size, as the Python package logged it: of a response we built (a handler's value or
 * an error), from the text we wrote (counting its UTF-8 bytes, a pass over the body only when the
 * line is written); of one built elsewhere, from its `Content-Length`. Ours carry no
 * Content-Length, and reading `response.headers` on @hono/node-server turns its lightweight
 * Response into a real one (~10 µs). None for HEAD: no body is sent.
 */
function responseSize(method: string, state: RequestState, response: Response): number | undefined {
  // a HEAD response sends no body, whatever the GET body it describes would weigh
  if (method === 'HEAD') return undefined;
  if (state.responseText !== undefined) return utf8Length(state.responseText);
  return state.headersDone ? undefined : contentLength(response);
}

function contentLength(response: Response): number | undefined {
  const value = response.headers.get('content-length');
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
