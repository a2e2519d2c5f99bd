import { describe, expect, it } from 'vitest';
import { nearestName } from '../../src/app/check-options.ts';
import { syncHandler } from '../../src/app/sync-handler.ts';
import {
  type AppOptions,
  type Battery,
  Controller,
  type CoreOptions,
  Ctx,
  createApp,
  defaultBatteries,
  Get,
  HttpError,
  type RequestContext,
  silentLogger,
} from '../../src/index.ts';

@Controller()
class Hello {
  @Get('/hello')
  hello() {
    return { hello: 'world' };
  }
}

const env = { ENVIRONMENT: 'DEVELOPMENT' };

describe('createApp refuses an option it does not know', () => {
  it('names the nearest valid option for a typo passed through a spread (TypeScript cannot see it)', () => {
    const settings: Record<string, unknown> = { testng: true };
    expect(() => createApp({ controllers: [Hello], env, ...settings })).toThrow(
      /createApp: unknown option "testng"; did you mean "testing"\?/,
    );
  });

  it('names the nearest for other typos, and lists the known options when nothing is close', () => {
    const attempt = (extra: Record<string, unknown>) => () => createApp({ env, ...extra } as AppOptions);
    expect(attempt({ controler: [Hello] })).toThrow(/did you mean "controllers"\?/);
    expect(attempt({ databse: true })).toThrow(/did you mean "database"\?/);
    expect(attempt({ Metrics: false })).toThrow(/did you mean "metrics"\?/);
    expect(attempt({ errorHandler: [] })).toThrow(/did you mean "errorHandlers"\?/);
    expect(attempt({ zzzzzz: 1 })).toThrow(/unknown option "zzzzzz" \(known: controllers, title, version/);
  });

  it('accepts every documented option, and an option a custom battery declares', () => {
    const app = createApp({ controllers: [Hello], env, testing: true, title: 't', version: '1', maxPathLength: 100, errorFormat: 'json' });
    expect(app.options.title).toBe('t');
    const own: Battery = { name: 'own', optionNames: ['tenant'], start: () => ({}) };
    expect(() => createApp({ env, ...{ tenant: 'a' } } as AppOptions, [own])).not.toThrow();
    expect(() => createApp({ env, ...{ tenant: 'a' } } as AppOptions)).toThrow(/unknown option "tenant"/);
  });

  it("refuses a default battery's option when the app's battery list leaves that battery out, naming it", () => {
    const own: Battery = { name: 'own', start: () => ({}) };
    expect(() => createApp({ env, database: true }, [own])).toThrow(
      /option "database" is read by the database battery, which this app's battery list leaves out/,
    );
    expect(() => createApp({ env, metrics: false }, [own])).toThrow(/option "metrics" is read by the observability battery/);
    expect(() => createApp({ env, docs: false }, [own])).toThrow(/option "docs" is read by the openapi battery/);
    expect(() => createApp({ env, jwt: {} }, [own])).toThrow(/option "jwt" is read by the security battery/);
    // with the battery in the list the same option is fine
    expect(() => createApp({ env, metrics: false, docs: false, logger: silentLogger }, defaultBatteries())).not.toThrow();
  });

  it('refuses options that are not an object', () => {
    expect(() => createApp(null as unknown as AppOptions)).toThrow(/options must be an object/);
  });

  it('finds the nearest name by edit distance, case ignored, and nothing when all are far', () => {
    const known = ['testing', 'title', 'database', 'docs'];
    expect(nearestName('tesitng', known)).toBe('testing');
    expect(nearestName('DOCS', known)).toBe('docs');
    expect(nearestName('qqqq', known)).toBeUndefined();
  });
});

describe('the typed plumbing', () => {
  it('types app.config groups, app.db and app.metrics without casts', async () => {
    const app = createApp({ controllers: [Hello], env: { ...env, ACCEPTED_API_KEY: 'k' }, database: true });
    // `database` is DatabaseConfig | undefined: no cast needed to read a field
    expect(app.config?.database?.DATABASE_URL ?? 'pglite').toBeTypeOf('string');
    expect(app.config?.general.ENVIRONMENT).toBe('DEVELOPMENT');
    expect(typeof app.db?.query).toBe('function');
    expect(app.metrics?.contentType).toMatch(/^text\/plain/);
    await app.close();
  });
});

describe('a custom battery (the worked example of docs/architecture.md)', () => {
  interface TenantOptions extends CoreOptions {
    tenants?: string[];
  }
  const tenantBattery = (): Battery<TenantOptions> => ({
    name: 'tenant',
    optionNames: ['tenants'],
    start({ options }) {
      const allowed = new Set(options.tenants ?? []);
      return {
        routes: [{ method: 'GET', path: '/tenants', infra: true, handler: () => Response.json([...allowed]) }],
        routeStep: () => (ctx) => {
          if (!allowed.has(ctx.request.headers.get('x-tenant') ?? '')) throw new HttpError(403, 'Unknown tenant', 'UNKNOWN_TENANT');
        },
      };
    },
  });
  const options: TenantOptions = { controllers: [Hello], env, tenants: ['acme'], logger: silentLogger };
  const app = createApp(options, [...defaultBatteries(), tenantBattery()]);

  it('refuses an unlisted tenant with 403 and the standard headers, serves a listed one synchronously', async () => {
    const denied = await app.fetch(new Request('http://x/hello'));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: 'Unknown tenant' });
    expect(denied.headers.get('x-request-id')).toBeTruthy();
    expect(denied.headers.get('server-timing')).toMatch(/auth;dur=/);
    const handler = syncHandler(app.fetch);
    const ok = handler(new Request('http://x/hello', { headers: { 'x-tenant': 'acme' } }));
    expect(ok).toBeInstanceOf(Response);
    expect(await (ok as Response).json()).toEqual({ hello: 'world' });
    expect(await (await app.fetch(new Request('http://x/tenants'))).json()).toEqual(['acme']);
  });
});

describe('the RequestContext a handler gets', () => {
  it('shows only its documented members: what the pipeline and batteries share stays private', async () => {
    let seen: RequestContext | undefined;
    @Controller()
    class Peek {
      @Get('/peek')
      peek(@Ctx() ctx: RequestContext) {
        seen = ctx;
        return 'ok';
      }
    }
    const app = createApp({ controllers: [Peek], env, logger: silentLogger });
    const res = await app.fetch(new Request('http://x/peek'));
    expect(res.headers.get('server-timing')).toMatch(/handler;dur=/);
    expect(Object.keys(seen ?? {}).sort()).toEqual(['env', 'logger', 'params', 'path', 'request', 'requestId', 'route', 'start', 'token']);
    for (const internal of ['headersDone', 'responseText', 'authMs', 'dbMs', 'handlerMs', 'clientClosed', 'locals', 'runtimeArg']) {
      expect(internal in (seen ?? {}), internal).toBe(false);
    }
  });
});
