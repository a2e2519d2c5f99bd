// The routes and token makers the bearer-JWT suites share; each test file gets its own app.
import { Controller, Get, Scopes, Secured, Token, type TokenData, User, type ValidatedUser } from '../../src/index.ts';
import { mintInternalToken, signRawHs } from '../../src/testing/index.ts';
import { bearer, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

export const DENIED = { message: 'Could not validate credentials' };
let runs = 0;

/** How many times the /jwt/secured handler has run (a refused token must not add one). */
export const handlerRuns = () => runs;

@Controller('/jwt')
export class JwtController {
  @Get('/secured')
  @Secured()
  secured(@Token() token: TokenData) {
    runs++;
    return { scopes: token.scopes, sub: token.claims.sub };
  }

  @Get('/scoped')
  @Scopes('read:patient')
  scoped() {
    return { ok: true };
  }

  @Get('/me')
  me(@User() user: ValidatedUser) {
    return { user_id: user.user_id, claims: user.token_data.claims };
  }
}

export const { app, logger } = secureApp([JwtController]);
export const now = () => Math.floor(Date.now() / 1000);
export const internal = (extra: Parameters<typeof mintInternalToken>[0] extends infer O ? Partial<O> : never = {}) =>
  mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['read:patient'], ...extra });
export const raw = (payload: Record<string, unknown> | string, header = '{"alg":"HS256","typ":"JWT"}') =>
  signRawHs(header, typeof payload === 'string' ? payload : JSON.stringify(payload), HS_KEY);

export async function status(token: string, path = '/jwt/secured') {
  return expectJson(await app.fetch(req(path, bearer(token))));
}
