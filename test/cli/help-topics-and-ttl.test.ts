import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { main, OPENAPI_USAGE, USAGE } from '../../src/cli/main.ts';
import { TOKEN_USAGE } from '../../src/cli/token.ts';

const env = { ENVIRONMENT: 'DEVELOPMENT', HS_KEY: 'dev-hs-key-not-for-production', PROXY_URL: 'http://localhost:8080' };
const cli = (...argv: string[]) => main(argv, env, process.cwd());

describe('fetch-batteries help <command>', () => {
  it('prints the token usage for "help token", as "token --help" does', async () => {
    const result = await cli('help', 'token');
    expect(result).toEqual({ code: 0, out: `${TOKEN_USAGE}\n` });
    expect(result.out).toBe((await cli('token', '--help')).out);
  });

  it('prints the openapi and init usages for "help openapi" and "help init"', async () => {
    expect(await cli('help', 'openapi')).toEqual({ code: 0, out: `${OPENAPI_USAGE}\n` });
    const init = await cli('help', 'init');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^Usage: fetch-batteries init <dir>/);
  });

  it('answers exit 2 naming the commands for help on something that is not one', async () => {
    expect(await cli('help', 'deploy')).toEqual({
      code: 2,
      out: '',
      err: `fetch-batteries: no help on "deploy" (commands: init, openapi, token)\n\n${USAGE}\n`,
    });
  });

  it('still prints the general usage for "help" alone', async () => {
    expect(await cli('help')).toEqual({ code: 0, out: `${USAGE}\n` });
  });

  it('"help help" is the general usage too (it was exit 2, "no help on help")', async () => {
    expect(await cli('help', 'help')).toEqual({ code: 0, out: `${USAGE}\n` });
  });
});

describe('fetch-batteries token --ttl', () => {
  it.each(['99999999999999999999', '9007199254740993', '315360001'])('refuses %s with exit 2 and the allowed range', async (ttl) => {
    expect(await cli('token', '--ttl', ttl)).toEqual({
      code: 2,
      out: '',
      err: `fetch-batteries token: --ttl must be a whole number of seconds from 1 to 315360000 (10 years), not ${ttl}\n`,
    });
  });

  it('mints a token that lives exactly ten years at the limit', async () => {
    const { code, out } = await cli('token', '--ttl', '315360000');
    expect(code).toBe(0);
    const claims = decodeJwt(out.trim());
    expect((claims.exp as number) - (claims.iat as number)).toBe(315360000);
  });
});
