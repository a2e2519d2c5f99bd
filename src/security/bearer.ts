import { bearerMissing } from './errors.ts';

/**
 * The token of `Authorization: Bearer <token>` (scheme in any case). No header, another scheme,
 * or nothing after `Bearer`: 401. Whatever follows is the token, checked by the verifier (403).
 * @example const token = bearerToken(request.headers.get('authorization'));
 */
export function bearerToken(header: string | null): string {
  if (header === null) throw bearerMissing();
  const value = header.trim();
  const space = value.indexOf(' ');
  if (space < 0 || value.slice(0, space).toLowerCase() !== 'bearer') throw bearerMissing();
  const token = value.slice(space + 1).trim();
  if (token === '') throw bearerMissing();
  return token;
}
