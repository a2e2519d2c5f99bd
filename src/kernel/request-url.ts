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
