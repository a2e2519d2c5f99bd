// Ids from upstream proxies and callers are kept so their logs correlate with ours: UUIDs, trace
// ids, base64 (which ends in `=` and may hold `+` and `/`). Nothing that could break a log line or
// a header (spaces, CR/LF, quotes, control characters) gets through.
const WELL_FORMED = /^[A-Za-z0-9._:/+=-]{1,255}$/;

/**
 * The incoming `X-Request-ID` when it is 1 to 255 characters of `A-Z a-z 0-9 . _ : / + = -`,
 * otherwise a new UUID.
 * @example requestIdFrom(new Request('http://h/', { headers: { 'x-request-id': 'a b' } })); // a new UUID
 */
export function requestIdFrom(request: Request): string {
  const incoming = request.headers.get('x-request-id');
  return incoming !== null && WELL_FORMED.test(incoming) ? incoming : crypto.randomUUID();
}
