import type { RequestContext } from '../app/context.ts';
import { type JsonWriter, jsonString, type Logger, WRITE_JSON } from './logger.ts';

/** Query parameter names whose values never reach the log. */
const SECRET_NAME = /token|key|secret|passw|pwd|auth|session|signature|sig$|credential|code|jwt|cookie/i;
/** Request headers never logged (the debug-level header dump). */
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
 * looks like a secret (token, key, secret, password, auth, session, signature...) keep their name only.
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

/** Request headers for a debug log, with credentials replaced. */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
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
  // asked per request: pino's level can change while the process runs
  const enabled = logger.isLevelEnabled?.bind(logger);
  const writeJson = (logger as { [WRITE_JSON]?: JsonWriter })[WRITE_JSON];
  return (ctx, response, ms) => {
    const status = response.status;
    const severity = status >= 500 ? 'warn' : 'info';
    if (enabled !== undefined && !enabled(severity)) return;
    const request = ctx.request;
    const method = request.method;
    const requestUrl = redactUrl(request.url);
    // our own responses carry no Content-Length, and on @hono/node-server reading `response.headers`
    // turns its lightweight Response into a real one (~10 µs per request, measured)
    const responseSize = ctx.headersDone ? undefined : contentLength(response);
    const userAgent = request.headers.get('user-agent') ?? undefined;
    const remoteIp = ctx.remoteIp;
    const latency = `${(ms / 1000).toFixed(6)}s`;
    // a serialised URL has `"` and control characters percent-encoded; the JSON encoding escapes the rest
    const message = `${method} "${requestUrl}" ${status}`;
    const debug = enabled?.('debug') === true;
    if (writeJson !== undefined && !debug) {
      // the same line JSON.stringify would write for the fields below, in the same key order
      let fields = `,"requestId":${jsonString(ctx.requestId)},"httpRequest":{"requestMethod":${jsonString(method)},"requestUrl":${jsonString(requestUrl)},"status":${status}`;
      if (responseSize !== undefined) fields += `,"responseSize":${responseSize}`;
      if (userAgent !== undefined) fields += `,"userAgent":${jsonString(userAgent)}`;
      if (remoteIp !== undefined) fields += `,"remoteIp":${jsonString(remoteIp)}`;
      writeJson(severity, message, `${fields},"latency":"${latency}"}`);
      return;
    }
    const httpRequest: HttpRequestFields = { requestMethod: method, requestUrl, status, responseSize, userAgent, remoteIp, latency };
    const fields: Record<string, unknown> = { requestId: ctx.requestId, httpRequest };
    if (debug) fields.requestHeaders = redactedHeaders(request.headers);
    logger[severity](message, fields);
  };
}

function contentLength(response: Response): number | undefined {
  const value = response.headers.get('content-length');
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
