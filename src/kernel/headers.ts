import { type RequestContext, type RequestState, stateOf } from './context.ts';

function formatMs(ms: number): string {
  return (Math.round(ms * 100) / 100).toString();
}

/** `total;dur=1.2, auth;dur=0.3, db;dur=0.5, handler;dur=0.2`: the phases that ran. */
export function serverTiming(state: RequestState | undefined, start: number, now: number = performance.now()): string {
  let timing = `total;dur=${formatMs(now - start)}`;
  if (state !== undefined) {
    if (state.authMs >= 0) timing += `, auth;dur=${formatMs(state.authMs)}`;
    if (state.dbMs >= 0) timing += `, db;dur=${formatMs(state.dbMs)}`;
    if (state.handlerMs >= 0) timing += `, handler;dur=${formatMs(state.handlerMs)}`;
  }
  return timing;
}

/**
 * Every header a response we build ourselves carries, as one literal: constructing a Response
 * with its headers is much cheaper than five `headers.set` calls afterwards (measured on undici),
 * and @hono/node-server writes a plain header object straight to Node without a `Headers`.
 * `now` is the time the handler finished, when the caller has it already.
 */
export function standardHeaders(ctx: RequestContext, extra: [string, string][] | undefined, now?: number): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': ctx.requestId,
    'server-timing': serverTiming(stateOf(ctx), ctx.start, now),
    'cache-control': 'no-cache, must-revalidate',
    pragma: 'no-cache',
    expires: '0',
  };
  if (extra !== undefined) for (const [name, value] of extra) headers[name] = value;
  return headers;
}

/** The same headers on a Response built elsewhere (handler-returned, errors); keeps each cache header the handler set. */
export function decorate(
  response: Response,
  ctx: RequestContext | undefined,
  extra: [string, string][] | undefined,
  start: number,
): Response {
  const requestId = ctx?.requestId ?? crypto.randomUUID();
  let headers = response.headers;
  try {
    headers.set('x-request-id', requestId);
  } catch {
    // headers of a fetch() response are immutable: copy once
    response = new Response(response.body, response);
    headers = response.headers;
    headers.set('x-request-id', requestId);
  }
  // a handler's own metrics (cache;desc="hit") stay, ours follow
  const own = headers.get('server-timing');
  const timing = serverTiming(ctx === undefined ? undefined : stateOf(ctx), start);
  headers.set('server-timing', own === null || own === '' ? timing : `${own}, ${timing}`);
  // each one only when absent, as the Python package's add_no_cache_headers: a handler's own
  // Cache-Control does not stop Pragma and Expires
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-cache, must-revalidate');
  if (!headers.has('pragma')) headers.set('pragma', 'no-cache');
  if (!headers.has('expires')) headers.set('expires', '0');
  if (extra !== undefined) for (const [name, value] of extra) headers.set(name, value);
  return response;
}
