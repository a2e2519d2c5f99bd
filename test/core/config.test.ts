import { describe, expect, it } from 'vitest';
import { ApiKey, Body, type ConfigError, Controller, Ctx, createApp, Get, Post, type RequestContext, Scopes } from '../../src/index.ts';
import { configError, get, quietLogger } from './helpers.ts';

@Controller('/')
class Plain {
  @Get('/ping')
  ping() {
    return { env: 'ok' };
  }
}

@Controller('/')
class EnvProbe {
  @Get('/env')
  env(@Ctx() ctx: RequestContext) {
    return { marker: ctx.env.MARKER ?? null, remoteAddr: 'remoteAddr' in ctx.env, kv: typeof ctx.env.SOME_KV, ip: ctx.remoteIp ?? null };
  }

  @Post('/body')
  body(@Body() body: unknown) {
    return { body };
  }
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
      createApp({ env: { ENVIRONMENT: 'NOPE', MAX_BODY_BYTES: 'lots', IGNORE_JWT_VALIDATION: 'maybe' }, controllers: [Keyed] }),
    );
    const text = error.problems.join('\n');
    expect(text).toMatch(/ENVIRONMENT: must be exactly one of/);
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

  it('lists a production guard in the same error as another invalid variable', () => {
    const error = (() => {
      try {
        createApp({ env: { ALLOW_DROP_DATA: 'true', MAX_BODY_BYTES: 'lots' }, controllers: [Plain] });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toEqual([
      'MAX_BODY_BYTES: must be a whole number (general)',
      'ALLOW_DROP_DATA: is refused when ENVIRONMENT is PRODUCTION',
    ]);
  });

  describe('says why PRODUCTION rules apply when ENVIRONMENT is not set', () => {
    const WHY = 'ENVIRONMENT is not set, so PRODUCTION rules apply; set ENVIRONMENT=DEVELOPMENT for local work';
    @Controller('/k')
    class Keyed {
      @Get('/')
      @ApiKey()
      get() {}
    }

    it.each([
      ['unset', {}],
      ['blank', { ENVIRONMENT: ' ' }],
    ])('ENVIRONMENT %s: the error ends with the reason, after every problem', (_name, env: Record<string, string>) => {
      const error = configError(() => createApp({ env, database: true, controllers: [Keyed], logger: quietLogger() }));
      expect(error.message).toMatch(/DATABASE_URL: is required when ENVIRONMENT is PRODUCTION/);
      expect(error.message).toMatch(/ACCEPTED_API_KEY: is required/);
      expect(error.message.endsWith(`\n${WHY}`)).toBe(true);
      // the list of problems stays the variables only
      expect(error.problems.join('\n')).not.toContain(WHY);
    });

    it.each(['PRODUCTION', 'DEVELOPMENT'])('ENVIRONMENT=%s set explicitly: no such line', (environment) => {
      const error = configError(() =>
        createApp({ env: { ENVIRONMENT: environment }, database: true, controllers: [Keyed], logger: quietLogger() }),
      );
      expect(error.message).toMatch(/ACCEPTED_API_KEY: is required/);
      expect(error.message).not.toContain('ENVIRONMENT is not set');
    });
  });

  it('treats a blank ENVIRONMENT as unset (PRODUCTION)', () => {
    const app = createApp({ env: { ENVIRONMENT: '  ' }, testing: true, controllers: [Plain] });
    expect(app.config?.general.ENVIRONMENT).toBe('PRODUCTION');
    expect(app.config?.general.production).toBe(true);
  });

  it('parses booleans strictly', () => {
    const ok = createApp({ env: { ENVIRONMENT: 'TEST', ALLOW_DROP_DATA: 'TRUE' }, testing: true, controllers: [Plain] });
    expect(ok.config?.general.ALLOW_DROP_DATA).toBe(true);
    expect(() => createApp({ env: { ALLOW_DROP_DATA: 'maybe' }, controllers: [Plain] })).toThrow(/ALLOW_DROP_DATA: must be true or false/);
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

  it('takes a Workers env from the second fetch argument when none was given: bindings, and the config built from it', async () => {
    // Simulates workerd: bindings (strings and objects) passed with every request.
    const app = createApp({ env: undefined, testing: true, controllers: [EnvProbe], logger: quietLogger() });
    const bindings = { ENVIRONMENT: 'TEST', MARKER: 'from-bindings', MAX_BODY_BYTES: '16', SOME_KV: { get() {} } };
    const res = await app.fetch(get('/env'), bindings, { waitUntil() {} });
    expect(await res.json()).toMatchObject({ marker: 'from-bindings', kv: 'object' });
    // MAX_BODY_BYTES from the bindings applies
    const big = new Request('http://test.local/body', {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(40) }),
      headers: { 'content-type': 'application/json' },
    });
    expect((await app.fetch(big, bindings, { waitUntil() {} })).status).toBe(413);
  });

  it('does not mistake a Bun server or Deno info object for an env (it gives the client address instead)', async () => {
    class BunServer {
      requestIP() {
        return { address: '192.0.2.7' };
      }
    }
    // no env given: the process env is the config, and the second argument must stay a runtime argument
    const app = createApp({ env: undefined, testing: true, controllers: [EnvProbe], logger: quietLogger() });
    const cases: [unknown, string][] = [
      [new BunServer(), '192.0.2.7'],
      [{ remoteAddr: { hostname: '::1' }, completed: Promise.resolve() }, '::1'],
    ];
    for (const [second, ip] of cases) {
      const res = await app.fetch(get('/env'), second);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ marker: null, remoteAddr: false, kv: 'undefined', ip });
    }
  });

  it('answers HEAD without a body even when a Workers env is invalid', async () => {
    const app = createApp({ controllers: [Plain], testing: true, env: undefined }, []);
    const original = console.error;
    console.error = () => {};
    try {
      const res = await app.fetch(new Request('http://test.local/ping', { method: 'HEAD' }), { ENVIRONMENT: 'NOWHERE' });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('');
      expect(res.headers.get('x-request-id')).toBeTruthy();
    } finally {
      console.error = original;
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
