// ENVIRONMENT with surrounding whitespace: the Python package read `DEVELOPMENT\n` as PRODUCTION
// (it is not one of the non-production names), so it must never be trimmed into non-production.
import { describe, expect, it } from 'vitest';
import { tokenCommand } from '../../src/cli/token.ts';
import { Controller, createApp, Get, non_production_only_route, Secured } from '../../src/index.ts';
import { configError, quietLogger } from './helpers.ts';

const HS_KEY = 'whitespace-hs-key-whitespace-hs-key';
const PROXY_URL = 'http://localhost';
const ALLOWED = 'must be exactly one of PRODUCTION, DEMO, DEVELOPMENT, STAGING, TRAINING, TEST';

@Controller('/d')
class DevOnly {
  @Get('/dev-only')
  @Secured(non_production_only_route())
  open() {
    return { opened: true };
  }
}

const build = (ENVIRONMENT: string, options: { database?: boolean } = {}) =>
  createApp({
    env: { ENVIRONMENT, HS_KEY, PROXY_URL },
    testing: true,
    docs: false,
    controllers: [DevOnly],
    logger: quietLogger(),
    ...options,
  });

describe('ENVIRONMENT with surrounding whitespace', () => {
  it.each([
    [' DEVELOPMENT', 'DEVELOPMENT', '" DEVELOPMENT"'],
    ['DEVELOPMENT\n', 'DEVELOPMENT', '"DEVELOPMENT\\n"'],
    ['\tTEST ', 'TEST', '"\\tTEST "'],
    ['PRODUCTION ', 'PRODUCTION', '"PRODUCTION "'],
  ])('refuses %j at start, naming the value to set', (value, meant, shown) => {
    const error = configError(() => build(value));
    expect(error.problems).toContain(
      `ENVIRONMENT: has surrounding whitespace: set ENVIRONMENT=${meant}, not ${shown} (${ALLOWED}) (general)`,
    );
  });

  it('says both problems when the trimmed value is not a valid one either', () => {
    const error = configError(() => build(' staging '));
    expect(error.problems).toContain(
      `ENVIRONMENT: has surrounding whitespace (" staging ") and is case-sensitive: set ENVIRONMENT=STAGING, not staging (${ALLOWED}) (general)`,
    );
  });

  it('is PRODUCTION to every other check: the database still needs DATABASE_URL', () => {
    const error = configError(() => build('DEVELOPMENT\n', { database: true }));
    expect(error.problems).toContain(
      'DATABASE_URL: is required when ENVIRONMENT is PRODUCTION (the embedded PGlite is for development and tests) (database)',
    );
  });

  it('the token command refuses it instead of minting a token', async () => {
    const { code, out } = await tokenCommand(['--scope', 'x'], { ENVIRONMENT: 'DEVELOPMENT\n', HS_KEY, PROXY_URL });
    expect(code).toBe(1);
    expect(out).toContain('ENVIRONMENT has surrounding whitespace: set ENVIRONMENT=DEVELOPMENT, not "DEVELOPMENT\\n"');
    expect(out).not.toMatch(/eyJ/);
  });

  it('a blank value still means unset (PRODUCTION); the exact value is non-production', () => {
    expect(build(' \n').config?.general.production).toBe(true);
    const dev = build('DEVELOPMENT');
    expect(dev.config?.general.production).toBe(false);
  });
});
