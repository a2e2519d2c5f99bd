import { describe, expect, it } from 'vitest';
import { ApiKey, ConfigError, Controller, createApp, Get, Post } from '../../src/index.ts';
import { captureLogger, expectJson, req, secureApp } from './helpers.ts';

const KEY = 'k3y-0123456789-abcdefghij';
let handlerRuns = 0;

@Controller('/keyed')
class KeyedController {
  @Get('/')
  @ApiKey()
  get() {
    handlerRuns++;
    return { ok: true };
  }

  @Post('/open')
  open() {
    return { open: true };
  }
}

const { app, logger } = secureApp([KeyedController], { ACCEPTED_API_KEY: KEY });

describe('@ApiKey', () => {
  it('answers 200 with the accepted key', async () => {
    const res = await expectJson(await app.fetch(req('/keyed/', { 'x-api-key': KEY })));
    expect(res).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('answers 401 "No API key supplied" when the header is %s', async (_name, value) => {
    const before = handlerRuns;
    const res = await expectJson(await app.fetch(req('/keyed/', value === undefined ? {} : { 'x-api-key': value })));
    expect(res).toEqual({ status: 401, body: { message: 'No API key supplied' } });
    expect(handlerRuns).toBe(before);
  });

  it.each([
    ['a wrong key', 'nope'],
    ['a prefix of the key', KEY.slice(0, -1)],
    ['the key plus a byte', `${KEY}x`],
    ['the key in another case', KEY.toUpperCase()],
    ['non-ASCII', 'kéy-ü'],
    ['the key with spaces around', ` ${KEY}x `],
  ])('answers 403 "Invalid API key supplied" for %s', async (_name, value) => {
    const before = handlerRuns;
    const res = await expectJson(await app.fetch(req('/keyed/', { 'x-api-key': value })));
    expect(res).toEqual({ status: 403, body: { message: 'Invalid API key supplied' } });
    expect(handlerRuns).toBe(before);
  });

  it('leaves routes without @ApiKey open', async () => {
    const res = await app.fetch(req('/keyed/open', {}, { method: 'POST' }));
    expect(res.status).toBe(200);
  });

  it('never writes the key to the log', async () => {
    await app.fetch(req('/keyed/', { 'x-api-key': `${KEY}-wrong` }));
    await app.fetch(req('/keyed/', { 'x-api-key': KEY }));
    expect(logger.text()).not.toContain(KEY);
  });

  it.each([
    ['unset', {}],
    ['empty', { ACCEPTED_API_KEY: '' }],
    ['blank', { ACCEPTED_API_KEY: '   ' }],
  ])('createApp refuses to start when ACCEPTED_API_KEY is %s, naming it', (_name, env) => {
    const build = () =>
      // not testing mode, which gives an unset key a throw-away value
      createApp({ env: { ENVIRONMENT: 'DEVELOPMENT', ...env }, controllers: [KeyedController], logger: captureLogger() });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/ACCEPTED_API_KEY/);
  });
});
