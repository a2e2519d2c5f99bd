// request.url is usually absolute, but Bun leaves the origin out (`/x/hello`) when the Host header
// is missing (HTTP/1.0) or one it finds invalid, and Deno glues any Host in front of the path.

/**
 * The raw path of a request URL, absolute or origin-relative: no query, no fragment (only a
 * hand-made Request has one).
 * @example pathOf('http://svc/patients/1?x=2'); // '/patients/1'
 */
export function pathOf(url: string): string {
  const pathStart = url.charCodeAt(0) === 47 ? 0 : url.indexOf('/', url.indexOf('//') + 2);
  if (pathStart < 0) return '/';
  const queryStart = url.indexOf('?', pathStart);
  const end = queryStart < 0 ? url.indexOf('#', pathStart) : queryStart;
  return end < 0 ? url.slice(pathStart) : url.slice(pathStart, end);
}

// a `.` or `..` segment, spelt with `.` or `%2e` in any case, as the WHATWG URL parser resolves them
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * The path with its dot segments resolved as the WHATWG URL parser does (what Node and Bun hand
 * over in `request.url`), for a runtime that leaves them as sent (Deno). A path without one,
 * nearly every path, comes back as it is after a cheap check.
 * @example resolveDotSegments('/patients/p2/../p1'); // '/patients/p1'
 */
export function resolveDotSegments(path: string): string {
  if (path.indexOf('/.') < 0 && path.indexOf('%2') < 0) return path;
  if (!DOT_SEGMENT.test(path)) return path;
  try {
    // concatenated, not resolved against a base: a path starting `//` must stay a path, never a host
    return new URL(`http://h${path}`).pathname;
  } catch {
    return path;
  }
}

// uri-host [":" port] (RFC 3986): an IP literal in brackets (an IPv6 zone id as %25...), or a
// reg-name of unreserved and sub-delims characters and %XX escapes; then an optional numeric port.
// Never '/', '?', '#', '@', '\', whitespace or a control character, which would move the path.
const HOST = /^(?:\[[0-9A-Fa-f:.]+(?:%25[\w.~-]+)?\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)(?::\d{0,5})?$/;

/**
 * Whether a Host header value is well formed: absent or empty (HTTP/1.0, or a target with no
 * authority) is.
 * @example validHost('api.example.com:8080'); // true; validHost('x/secure'); // false
 */
export function validHost(host: string | null): boolean {
  return host === null || host === '' || HOST.test(host);
}
