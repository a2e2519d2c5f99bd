import { describe, expect, it } from 'vitest';
import { Controller, Get, Scopes, Secured, scopes_present, User, type ValidatedUser } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

@Controller('')
class MatrixController {
  @Get('/secured')
  @Secured(scopes_present('hello:world'))
  secured() {
    return { result: true };
  }

  @Get('/scoped_endpoint')
  @Scopes('hello:world')
  scoped() {
    return { result: true };
  }

  @Get('/user_scoped')
  @Scopes('hello:world')
  userScoped(@User() user: ValidatedUser) {
    return { user_id: user.user_id };
  }

  @Get('/user')
  user(@User() user: ValidatedUser) {
    return { user_id: user.user_id };
  }
}

const token = (scopes: string, key = HS_KEY) => mintInternalToken({ key, issuer: HS_ISSUER, scopes, sub: '1234567890' });

// The Python test_protected_route matrix, with ENVIRONMENT as configuration rather than import-time state.
describe('IGNORE_JWT_VALIDATION x ENVIRONMENT x scopes', () => {
  const cases: [string, string, boolean, string, number | 'refused'][] = [];
  for (const environment of ['DEVELOPMENT', 'PRODUCTION']) {
    for (const ignore of [true, false]) {
      for (const scopes of ['foo:bar', 'hello:world']) {
        const refused = environment === 'PRODUCTION' && ignore;
        const good = scopes === 'hello:world';
        cases.push([
          '/secured',
          environment,
          ignore,
          scopes,
          refused ? 'refused' : good || (ignore && environment !== 'PRODUCTION') ? 200 : 403,
        ]);
        cases.push(['/scoped_endpoint', environment, ignore, scopes, refused ? 'refused' : good ? 200 : 403]);
      }
    }
  }

  it.each(cases)(
    '%s with ENVIRONMENT=%s, IGNORE_JWT_VALIDATION=%s, scopes %s -> %s',
    async (path, environment, ignore, scopes, expected) => {
      const build = () => secureApp([MatrixController], { ENVIRONMENT: environment, IGNORE_JWT_VALIDATION: String(ignore) });
      if (expected === 'refused') {
        expect(build).toThrow(/IGNORE_JWT_VALIDATION/);
        return;
      }
      const { app, logger } = build();
      const res = await app.fetch(req(path, bearer(await token(scopes))));
      expect(res.status).toBe(expected);
      if (expected === 200) expect(await res.json()).toEqual({ result: true });
      if (path === '/scoped_endpoint' && expected === 403) {
        expect(await res.json()).toEqual({ message: 'Not enough permissions' });
        expect(logger.text()).toContain("JWT is missing required scopes: ['hello:world']");
      }
    },
  );

  it('outside production with IGNORE_JWT_VALIDATION=true a bad signature is still 403', async () => {
    const { app } = secureApp([MatrixController], { IGNORE_JWT_VALIDATION: 'true' });
    const res = await app.fetch(req('/secured', bearer(await token('hello:world', 'not-the-key'))));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Could not validate credentials' });
    expect((await app.fetch(req('/secured'))).status).toBe(401);
  });
});

describe('@User with and without scopes', () => {
  const { app } = secureApp([MatrixController]);

  it.each([
    ['/user', 'foo:bar', 200],
    ['/user', '', 200],
    ['/user_scoped', 'hello:world', 200],
    ['/user_scoped', 'foo:bar', 403],
  ])('%s with scopes "%s" -> %s', async (path, scopes, expected) => {
    const res = await app.fetch(req(path, bearer(await token(scopes))));
    expect(res.status).toBe(expected);
    if (expected === 200) expect(await res.json()).toEqual({ user_id: '1234567890' });
  });

  it('answers 401 without a token on both', async () => {
    expect((await app.fetch(req('/user'))).status).toBe(401);
    expect((await app.fetch(req('/user_scoped'))).status).toBe(401);
  });
});
