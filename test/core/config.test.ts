import { describe, expect, it } from 'vitest';
import { ApiKey, ConfigError, Controller, createApp, Get, Post, Scopes } from '../../src/index.ts';
import { get } from './helpers.ts';

@Controller('/')
class Plain {
  @Get('/ping')
  ping() {
    return { env: 'ok' };
  }
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults ENVIRONMENT to PRODUCTION', () => {
    const app = createApp({ env: {}, testing: true, controllers: [Plain] });
    expect(app.config?.general.ENVIRONMENT).toBe('PRODUCTION');
    expect(app.config?.general.production).toBe(true);
  });

  it.each(['DEMO', 'DEVELOPMENT', 'STAGING', 'TRAINING', 'TEST'])('treats %s as non-production', (environment) => {
    const app = createApp({ env: { ENVIRONMENT: environment }, testing: true, controllers: [Plain] });
    expect(app.config?.general.production).toBe(false);
  });

  it('lists every missing or invalid variable in one error', () => {
    @Controller('/k')
    class Keyed {
      @Post('/')
      @ApiKey()
      create() {}
    }
    const error = configError(() =>
      createApp({ env: { ENVIRONMENT: 'NOPE', MAX_BODY_BYTES: 'lots', IGNORE_JWT_VALIDATION: 'yes' }, controllers: [Keyed] }),
    );
    const text = error.problems.join('\n');
    expect(text).toMatch(/ENVIRONMENT: must be one of/);
    expect(text).toMatch(/MAX_BODY_BYTES: must be a whole number/);
    expect(text).toMatch(/IGNORE_JWT_VALIDATION: must be true or false/);
    expect(text).toMatch(/ACCEPTED_API_KEY: is required/);
  });

  it('lists a JWT issuer problem in the same error as the other variables', () => {
    @Controller('/s')
    class Both {
      @Post('/')
      @ApiKey()
      @Scopes('write')
      create() {}
    }
    const error = configError(() => createApp({ env: { MAX_BODY_BYTES: 'lots' }, testing: true, controllers: [Both] }));
    const text = error.problems.join('\n');
    expect(text).toMatch(/MAX_BODY_BYTES: must be a whole number/);
    expect(text).toMatch(/ACCEPTED_API_KEY: is required/);
    expect(text).toMatch(/no issuer is configured/);
  });

  it('lists a blank ACCEPTED_API_KEY in the same error as the other variables', () => {
    @Controller('/b')
    class Blank {
      @Post('/')
      @ApiKey()
      create() {}
    }
    const error = configError(() =>
      createApp({ env: { MAX_BODY_BYTES: 'lots', ACCEPTED_API_KEY: '   ' }, testing: true, controllers: [Blank] }),
    );
    const text = error.problems.join('\n');
    expect(text).toMatch(/MAX_BODY_BYTES: must be a whole number/);
    expect(text).toMatch(/ACCEPTED_API_KEY: must not be blank/);
  });

  it('refuses ALLOW_DROP_DATA and IGNORE_JWT_VALIDATION in production', () => {
    const error = configError(() =>
      createApp({ env: { ENVIRONMENT: 'PRODUCTION', ALLOW_DROP_DATA: 'true', IGNORE_JWT_VALIDATION: 'true' }, controllers: [Plain] }),
    );
    expect(error.problems).toEqual([
      'ALLOW_DROP_DATA: is refused when ENVIRONMENT is PRODUCTION',
      'IGNORE_JWT_VALIDATION: is refused when ENVIRONMENT is PRODUCTION',
    ]);
  });

  it('parses booleans strictly', () => {
    const ok = createApp({ env: { ENVIRONMENT: 'test', ALLOW_DROP_DATA: 'TRUE' }, testing: true, controllers: [Plain] });
    expect(ok.config?.general.ALLOW_DROP_DATA).toBe(true);
    expect(() => createApp({ env: { ALLOW_DROP_DATA: 'on' }, controllers: [Plain] })).toThrow(/ALLOW_DROP_DATA: must be true or false/);
  });

  it('requires ACCEPTED_API_KEY only when an @ApiKey route exists, and refuses an empty one', () => {
    @Controller('/k')
    class Keyed {
      @Get('/')
      @ApiKey()
      list() {}
    }
    expect(() => createApp({ env: { ENVIRONMENT: 'TEST' }, controllers: [Plain] })).not.toThrow();
    expect(() => createApp({ env: { ENVIRONMENT: 'TEST', ACCEPTED_API_KEY: '' }, controllers: [Keyed] })).toThrow(/ACCEPTED_API_KEY/);
  });

  it('takes a Workers env from the second fetch argument when none was given', async () => {
    // Simulates workerd: no process env source and bindings passed per request.
    const app = createApp({ env: undefined, testing: true, controllers: [Plain] });
    const res = await app.fetch(get('/ping'), { ENVIRONMENT: 'TEST', SOME_KV: { get() {} } }, { waitUntil() {} });
    expect(res.status).toBe(200);
  });

  it('does not mistake a Bun server or Deno info object for an env', async () => {
    class BunServer {
      requestIP() {
        return { address: '127.0.0.1' };
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [Plain] });
    for (const second of [new BunServer(), { remoteAddr: { hostname: '::1' }, completed: Promise.resolve() }]) {
      const res = await app.fetch(get('/ping'), second);
      expect(res.status).toBe(200);
    }
  });

  it('answers 500 without details when a Workers env is invalid, and keeps answering', async () => {
    @Controller('/k')
    class Keyed {
      @Get('/')
      @ApiKey()
      list() {}
    }
    const app = createApp({ controllers: [Keyed], testing: true, env: undefined }, []);
    const badEnv = { ENVIRONMENT: 'TEST', ALLOW_DROP_DATA: 'maybe' };
    const original = console.error;
    console.error = () => {};
    try {
      for (let i = 0; i < 2; i++) {
        const res = await app.fetch(get('/k'), badEnv, { waitUntil() {} });
        expect(res.status).toBe(500);
        expect(await res.text()).toBe('{"message":"Internal server error"}');
      }
    } finally {
      console.error = original;
    }
  });
});
