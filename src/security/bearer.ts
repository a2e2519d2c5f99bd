import { bearerMissing } from './errors.ts';

/**
 * The token of `Authorization: Bearer <token>` (scheme in any case). No header, another scheme,
 * or nothing after `Bearer`: 401. Whatever follows is the token, checked by the verifier (403).
 * @example const token = bearerToken(request.headers.get('authorization'));
 */
export function bearerToken(header: string | null): string {
  if (header === null) throw bearerMissing();
  // RFC 6750: `Bearer` 1*SP token; spaces or tabs between the two are accepted alike
  const match = BEARER.exec(header);
  if (match === null) throw bearerMissing();
  return match[1];
}

const BEARER = /^[ \t]*bearer[ \t]+(\S(?:.*\S)?)[ \t]*$/i;
