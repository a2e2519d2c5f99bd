/**
 * Routes declared on a base class serve under every controller that extends it, in both decorator
 * modes: the same source is compiled with TC39 standard decorators and with experimentalDecorators
 * (test/support/standard-build.ts), and each app is checked by status, body and OpenAPI document.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mintInternalToken } from '../../src/testing/index.ts';
import { type DecoratorMode, importCompiled, removeTemporaryModules } from '../support/standard-build.ts';

afterAll(removeTemporaryModules);

const ENV = { ENVIRONMENT: 'TEST', HS_KEY: 'inherit-hs-key-0123456789abcdef', PROXY_URL: 'http://proxy.test' };
const bearer = async (...scopes: string[]) => ({
  authorization: `Bearer ${await mintInternalToken({ key: ENV.HS_KEY, issuer: 'http://proxy.test/', scopes, sub: 'user-1' })}`,
});

const SOURCE = `
import { createApp, Controller, Doc, Get, Param, Scopes, Tags } from './src/index.ts';
const ENV = ${JSON.stringify(ENV)};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

@Controller('/base')
@Tags('base')
export class Base {
  // an operationId names one operation: the subclass's copy gets its own, the summary is inherited
  @Get('/one') @Doc({ operationId: 'baseOne', summary: 'The one' }) one() { return { from: 'Base.one' }; }
  @Get('/two') two() { return { from: 'Base.two' }; }
  @Get('/kept/:id', Param('id')) kept(id: string) { return { from: 'Base.kept', id }; }
}

@Controller('/sub')
@Tags('sub')
export class Sub extends Base {
  @Get('/three') three() { return { from: 'Sub.three' }; }
  // its own route decorator: replaces the base's GET /two
  @Get('/deux') two() { return { from: 'Sub.two' }; }
  // no route decorator: the base's route, served by this override
  kept(id: string) { return { from: 'Sub.kept', id }; }
}

abstract class Crud {
  abstract kind(): string;
  @Get('/') list() { return { kind: this.kind() }; }
}
@Controller('/cats') export class Cats extends Crud { kind() { return 'cat'; } }
@Controller('/dogs') export class Dogs extends Crud { kind() { return 'dog'; } }

@Scopes('admin')
abstract class Guarded {
  @Get('/secret') secret() { return { secret: true }; }
  @Get('/report') @Scopes('read:report') report() { return { report: 'base' }; }
}
@Controller('/open')
export class Open extends Guarded {
  @Get('/mine') mine() { return { mine: true }; }
  // redeclared without @Scopes: the base's method-level scope still holds
  @Get('/report') report() { return { report: 'open' }; }
}

export const app = createApp({ env: ENV, testing: true, logger: quiet, controllers: [Base, Sub, Cats, Dogs, Open] });
`;

type App = { fetch(r: Request): Promise<Response>; openapi(): { paths: Record<string, Record<string, Record<string, unknown>>> } };

const apps = new Map<DecoratorMode, Promise<App>>();
const load = (mode: DecoratorMode) => {
  if (!apps.has(mode))
    apps.set(
      mode,
      importCompiled<{ app: App }>(SOURCE, mode).then((m) => m.app),
    );
  return apps.get(mode) as Promise<App>;
};

async function get(app: App, path: string, headers: Record<string, string> = {}) {
  const response = await app.fetch(new Request(`http://test.local${path}`, { headers }));
  return { status: response.status, body: await response.json() };
}

describe.each(['standard', 'legacy'] as const)('inherited routes, %s decorators', (mode) => {
  it('serves the base class routes under the subclass prefix, the subclass winning per method', async () => {
    const app = await load(mode);
    expect(await get(app, '/sub/three')).toEqual({ status: 200, body: { from: 'Sub.three' } });
    expect(await get(app, '/sub/one')).toEqual({ status: 200, body: { from: 'Base.one' } });
    expect(await get(app, '/sub/deux')).toEqual({ status: 200, body: { from: 'Sub.two' } });
    expect((await get(app, '/sub/two')).status).toBe(404);
    expect(await get(app, '/sub/kept/7')).toEqual({ status: 200, body: { from: 'Sub.kept', id: '7' } });
    // the base controller itself is unchanged
    expect(await get(app, '/base/two')).toEqual({ status: 200, body: { from: 'Base.two' } });
    expect(await get(app, '/base/kept/7')).toEqual({ status: 200, body: { from: 'Base.kept', id: '7' } });
  });

  it('serves an undecorated abstract base under each controller that extends it', async () => {
    const app = await load(mode);
    expect(await get(app, '/cats')).toEqual({ status: 200, body: { kind: 'cat' } });
    expect(await get(app, '/dogs')).toEqual({ status: 200, body: { kind: 'dog' } });
  });

  it("keeps the base class's and the base method's security on inherited and redeclared routes", async () => {
    const app = await load(mode);
    expect((await get(app, '/open/secret')).status).toBe(401);
    expect(await get(app, '/open/secret', await bearer('read:report'))).toMatchObject({ status: 403 });
    expect(await get(app, '/open/secret', await bearer('admin'))).toEqual({ status: 200, body: { secret: true } });
    // the base's class-level scope covers the subclass's own routes too
    expect((await get(app, '/open/mine', await bearer())).status).toBe(403);
    expect(await get(app, '/open/mine', await bearer('admin'))).toEqual({ status: 200, body: { mine: true } });
    expect((await get(app, '/open/report', await bearer('admin'))).status).toBe(403);
    expect(await get(app, '/open/report', await bearer('admin', 'read:report'))).toEqual({ status: 200, body: { report: 'open' } });
  });

  it('documents the inherited routes in OpenAPI, with the concrete class tags and the inherited scopes', async () => {
    const { paths } = (await load(mode)).openapi();
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/base/kept/{id}',
        '/base/one',
        '/base/two',
        '/cats',
        '/dogs',
        '/open/mine',
        '/open/report',
        '/open/secret',
        '/sub/deux',
        '/sub/kept/{id}',
        '/sub/one',
        '/sub/three',
      ].sort(),
    );
    expect(paths['/sub/one'].get).toMatchObject({ operationId: 'Sub_one', summary: 'The one', tags: ['sub'] });
    expect(paths['/base/one'].get).toMatchObject({ operationId: 'baseOne', summary: 'The one', tags: ['base'] });
    expect(paths['/cats'].get.operationId).toBe('Cats_list');
    expect(paths['/dogs'].get.operationId).toBe('Dogs_list');
    expect(JSON.stringify(paths['/open/report'].get.security)).toContain('read:report');
    expect(JSON.stringify(paths['/open/report'].get.security)).toContain('admin');
  });
});
