import { describe, expect, it } from 'vitest';
import { Controller, Get, key_present, Secured, Token, type TokenData } from '../../src/index.ts';
import { signRawHs } from '../../src/testing/index.ts';
import { bearer, expectJson, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

@Controller('/claims')
class ClaimsController {
  @Get('/sub')
  @Secured(key_present('sub'))
  sub() {
    return { ok: true };
  }

  @Get('/iss')
  @Secured(key_present('iss'))
  iss() {
    return { ok: true };
  }

  @Get('/token')
  @Secured()
  token(@Token() token: TokenData) {
    return { keys: Object.keys(token.claims).sort(), sub: token.claims.sub ?? null };
  }
}

const { app } = secureApp([ClaimsController]);
const hs = (claims: Record<string, unknown>) =>
  signRawHs('{"alg":"HS256","typ":"JWT"}', JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60, ...claims }), HS_KEY);

describe('iss and sub are claims only when the token has them (as the Python parser did)', () => {
  it("key_present('sub') refuses a token without sub with 403 and lets one with sub through", async () => {
    const without = await expectJson(await app.fetch(req('/claims/sub', bearer(await hs({ metadata: { clinician_id: 'c1' } })))));
    expect(without).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect((await app.fetch(req('/claims/sub', bearer(await hs({ sub: 'u-1' }))))).status).toBe(200);
  });

  it("key_present('iss') holds for every routed token", async () => {
    expect((await app.fetch(req('/claims/iss', bearer(await hs({}))))).status).toBe(200);
  });

  it('leaves sub out of the claims when the token has none, and keeps a metadata sub the token does not override', async () => {
    const bare = await expectJson(await app.fetch(req('/claims/token', bearer(await hs({})))));
    expect(bare).toEqual({ status: 200, body: { keys: ['iss', 'raw'], sub: null } });
    const fromMeta = await expectJson(await app.fetch(req('/claims/token', bearer(await hs({ metadata: { sub: 'm-1' } })))));
    expect(fromMeta.body).toMatchObject({ sub: 'm-1' });
  });
});
