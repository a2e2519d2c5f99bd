// Ids from upstream proxies (UUIDs, trace ids) are kept; anything else could inject into logs/headers.
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The incoming `X-Request-ID` when well formed, otherwise a new UUID.
 * @example requestIdFrom(new Request('http://h/', { headers: { 'x-request-id': 'a b' } })); // a new UUID
 */
export function requestIdFrom(request: Request): string {
  const incoming = request.headers.get('x-request-id');
  return incoming !== null && WELL_FORMED.test(incoming) ? incoming : crypto.randomUUID();
}
