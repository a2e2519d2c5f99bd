import { describe, expect, it } from 'vitest';
import { ApiKey, ConfigError, Controller, createApp, Get } from '../../src/index.ts';
import { captureLogger, expectJson, req } from './helpers.ts';

@Controller('/keyed')
class KeyedController {
  @Get('/')
  @ApiKey()
  get() {
    return { ok: true };
  }
}

const start = (key: string) => () =>
  createApp({
    env: { ENVIRONMENT: 'PRODUCTION', ACCEPTED_API_KEY: key },
    docs: false,
    controllers: [KeyedController],
    logger: captureLogger(),
  });

/** The ConfigError's text, or a failure when the app started. */
function refusal(key: string): string {
  try {
    start(key)();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('the app started');
}

describe('ACCEPTED_API_KEY that no client could send', () => {
  it.each([
    ['a trailing newline (a secret file)', 'k3y-secret-0123456789\n'],
    ['a trailing space', 'k3y-secret-0123456789 '],
    ['a leading tab', '\tk3y-secret-0123456789'],
  ])('refuses %s at start, saying so without quoting the key', (_name, key) => {
    const text = refusal(key);
    expect(text).toMatch(/ACCEPTED_API_KEY: must not start or end with whitespace/);
    expect(text).not.toContain('k3y-secret');
  });

  it.each([
    ['a non-ASCII letter', 'k3y-sécret-0123456789'],
    ['an emoji', 'k3y-secret-🔑-0123456789'],
    ['a control character inside', 'k3y-secret\u0007-0123456789'],
  ])('refuses %s at start: clients send header bytes, so it could never match', (_name, key) => {
    const text = refusal(key);
    expect(text).toMatch(/ACCEPTED_API_KEY: must be visible ASCII characters \(inner spaces allowed\)/);
    expect(text).not.toContain('k3y-s');
  });

  it('starts with a visible-ASCII key with an inner space, and that key answers 200', async () => {
    const app = start('k3y secret ~!@#$%^&*()')();
    const res = await expectJson(await app.fetch(req('/keyed/', { 'x-api-key': 'k3y secret ~!@#$%^&*()' })));
    expect(res).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('refuses an %s key with one message, not two', (_name, key) => {
    expect(refusal(key)).toBe('ACCEPTED_API_KEY: must not be blank (api key)');
  });
});
