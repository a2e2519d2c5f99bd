/**
 * TC39 standard decorators (TypeScript's default, no `experimentalDecorators`) next to the legacy
 * ones. vitest compiles this repository with legacy decorators, so every standard-mode fixture
 * is compiled by esbuild (see test/support/standard-build.ts) and imported from a temporary file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Controller, Get } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { type DecoratorMode, importCompiled, removeTemporaryModules } from '../support/standard-build.ts';
import { testApp } from './helpers.ts';

afterAll(removeTemporaryModules);

const ENV = { ENVIRONMENT: 'TEST', HS_KEY: 'unit-hs-key-0123456789abcdef', PROXY_URL: 'http://proxy.test', ACCEPTED_API_KEY: 'unit-key' };
const token = (scopes: string[], claims: Record<string, unknown> = {}) =>
  mintInternalToken({ key: ENV.HS_KEY, issuer: 'http://proxy.test/', scopes, sub: 'user-1', metadata: claims });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

const PRELUDE = `
import * as v from 'valibot';
import { createApp, Controller, Get, Post, Put, Patch, Delete, Param, Query, Body, Header, Ctx, User, Token, Db,
  Status, Returns, Tags, Deprecated, Doc, ApiKey, Secured, Scopes, match_keys, or_, scopes_present, field_in_path_matches_jwt_claim, sql } from './src/index.ts';
const ENV = ${JSON.stringify(ENV)};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
export const make = (controllers) => createApp({ env: ENV, testing: true, controllers, logger: quiet, database: true });
export const tryMake = (controllers) => { try { make(controllers); return 'accepted'; } catch (e) { return e.message; } };
`;

/** One controller using every decorator: `specs` puts parameters in the route decorators, `params` on the parameters. */
function everything(form: 'specs' | 'params'): string {
  const p = (spec: string, decl: string) => (form === 'params' ? `@${spec} ${decl}` : decl);
  const route = (head: string, ...specs: string[]) => (form === 'specs' && specs.length > 0 ? `${head}, ${specs.join(', ')})` : `${head})`);
  return `${PRELUDE}
const Id = v.pipe(v.string(), v.regex(/^\\d+$/, 'must be digits'));
const Item = v.object({ name: v.pipe(v.string(), v.minLength(1)) });
@Controller('/items')
@Tags('items')
@Doc({ description: 'class-level doc' })
export class Items {
  @Get('/')
  @Returns(200, v.array(Item), 'All items')
  list() { return [{ name: 'a' }]; }

  ${route("@Get('/:id'", "Param('id', Id)", "Query('q')", "Header('X-Trace')", 'Ctx()')}
  @Scopes('read:item')
  @Doc({ summary: 'One item' })
  get(${p("Param('id', Id)", 'id')}, ${p("Query('q')", 'q')}, ${p("Header('X-Trace')", 'trace')}, ${p('Ctx()', 'ctx')}) {
    return { id, q, trace, path: new URL(ctx.request.url).pathname };
  }

  ${route("@Post('/'", 'Body(Item)')}
  @ApiKey()
  @Status(201)
  create(${p('Body(Item)', 'body')}) { return body; }

  ${route("@Put('/:id'", "Param('id')", 'Body(Item)')}
  @Secured(or_(scopes_present('write:item'), match_keys({ id: 'item_id' })))
  replace(${p("Param('id')", 'id')}, ${p('Body(Item)', 'body')}) { return { id, ...body }; }

  ${route("@Patch('/:id'", "Param('id')", 'User()', 'Token()')}
  @Scopes()
  touch(${p("Param('id')", 'id')}, ${p('User()', 'user')}, ${p('Token()', 'tokenData')}) { return { id, user: user.user_id, scopes: tokenData.scopes }; }

  ${route("@Delete('/:id'", "Param('id')")}
  @Deprecated({ supersededBy: 'DELETE /v2/items/:id', since: '2026-01-01T00:00:00Z' })
  remove(${p("Param('id')", '_id')}) {}

  ${route("@Get('/search/all'", "Query(v.object({ page: v.optional(v.string(), '1') }))", 'Db()')}
  async search(${p("Query(v.object({ page: v.optional(v.string(), '1') }))", 'query')}, ${p('Db()', 'db')}) {
    const row = await db.one(sql\`select 2 as two\`);
    return { page: query.page, two: row.two };
  }
}
export const app = make([Items]);
`;
}

type App = { fetch(r: Request): Promise<Response>; openapi(): Record<string, unknown>; close(): Promise<void> };
type Fixture = { app: App; make(c: unknown[]): App; tryMake(c: unknown[]): string } & Record<string, unknown>;

const compiled = new Map<string, Promise<Fixture>>();
function load(form: 'specs' | 'params', mode: DecoratorMode): Promise<Fixture> {
  const key = `${form}/${mode}`;
  if (!compiled.has(key)) compiled.set(key, importCompiled<Fixture>(everything(form), mode));
  return compiled.get(key) as Promise<Fixture>;
}

const call = (app: App, method: string, path: string, init: { headers?: Record<string, string>; json?: unknown } = {}) =>
  app.fetch(
    new Request(`http://test.local${path}`, {
      method,
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    }),
  );

describe.each([
  ['standard decorators, route-level specs', 'specs', 'standard'],
  ['legacy decorators, route-level specs', 'specs', 'legacy'],
  ['legacy decorators, parameter decorators', 'params', 'legacy'],
] as const)('every decorator: %s', (_label, form, mode) => {
  it('routes each method with its parameters, status, API key, scopes, rule and deprecation', async () => {
    const { app } = await load(form, mode);
    const read = await token(['read:item']);
    expect(await (await call(app, 'GET', '/items')).json()).toEqual([{ name: 'a' }]);

    expect((await call(app, 'GET', '/items/7?q=x')).status).toBe(401);
    expect((await call(app, 'GET', '/items/7?q=x', { headers: bearer(await token([])) })).status).toBe(403);
    const one = await call(app, 'GET', '/items/7?q=x', { headers: { ...bearer(read), 'x-trace': 't-1' } });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ id: '7', q: 'x', trace: 't-1', path: '/items/7' });
    const invalid = await call(app, 'GET', '/items/seven', { headers: bearer(read) });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(await invalid.json())).toContain('must be digits');

    expect((await call(app, 'POST', '/items', { json: { name: 'n' } })).status).toBe(401);
    const created = await call(app, 'POST', '/items', { json: { name: 'n' }, headers: { 'x-api-key': 'unit-key' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ name: 'n' });
    expect((await call(app, 'POST', '/items', { json: { name: '' }, headers: { 'x-api-key': 'unit-key' } })).status).toBe(422);

    // match_keys reads the path parameter: the caller whose item_id claim is 5 may replace item 5 only
    const owner = bearer(await token([], { item_id: '5' }));
    expect((await call(app, 'PUT', '/items/5', { json: { name: 'm' }, headers: owner })).status).toBe(200);
    expect((await call(app, 'PUT', '/items/6', { json: { name: 'm' }, headers: owner })).status).toBe(403);
    expect((await call(app, 'PUT', '/items/6', { json: { name: 'm' }, headers: bearer(await token(['write:item'])) })).status).toBe(200);

    const touched = await call(app, 'PATCH', '/items/3', { headers: bearer(read) });
    expect(await touched.json()).toEqual({ id: '3', user: 'user-1', scopes: ['read:item'] });

    const removed = await call(app, 'DELETE', '/items/3');
    expect(removed.status).toBe(204);
    expect(removed.headers.get('deprecation')).toBeTruthy();
    expect(removed.headers.get('link')).toContain('rel="successor-version"');

    expect(await (await call(app, 'GET', '/items/search/all')).json()).toEqual({ page: '1', two: 2 });
  });

  it('gives the same OpenAPI document as the legacy parameter-decorator form', async () => {
    const { app } = await load(form, mode);
    const { app: reference } = await load('params', 'legacy');
    const doc = app.openapi() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).sort()).toEqual(['/items', '/items/search/all', '/items/{id}']);
    expect(doc).toEqual(reference.openapi());
  });
});

describe('class-level options with standard decorators', () => {
  it('apply to every route whether written above or below @Controller', async () => {
    const { app } = await importCompiled<Fixture>(
      `${PRELUDE}
@ApiKey() @Status(202) @Controller('/keyed') class Keyed { @Get('/') a() { return { a: 1 }; } @Get('/b') b() { return { b: 1 }; } }
@Controller('/scoped') @Scopes('read:s') @Deprecated() class Scoped { @Get('/') a() { return { a: 1 }; } }
@Controller('/ruled') @Secured(match_keys({ id: 'owner' })) class Ruled { @Get('/:id', Param('id')) a(id: string) { return { id }; } }
@Controller('/path') class PathRule { @Get('/:owner') @Secured(field_in_path_matches_jwt_claim('owner', 'owner')) a() { return { ok: true }; } }
export const app = make([Keyed, Scoped, Ruled, PathRule]);`,
    );
    expect((await call(app, 'GET', '/keyed/b')).status).toBe(401);
    const keyed = await call(app, 'GET', '/keyed/b', { headers: { 'x-api-key': 'unit-key' } });
    expect(keyed.status).toBe(202);
    expect(await keyed.json()).toEqual({ b: 1 });
    expect((await call(app, 'GET', '/scoped', { headers: bearer(await token(['other'])) })).status).toBe(403);
    const scoped = await call(app, 'GET', '/scoped', { headers: bearer(await token(['read:s'])) });
    expect(scoped.status).toBe(200);
    expect(scoped.headers.get('deprecation')).toBe('true');
    const owner = bearer(await token([], { owner: 'me' }));
    expect((await call(app, 'GET', '/ruled/me', { headers: owner })).status).toBe(200);
    expect((await call(app, 'GET', '/ruled/you', { headers: owner })).status).toBe(403);
    // a rule reads the path parameter even when the handler takes none
    expect((await call(app, 'GET', '/path/me', { headers: owner })).status).toBe(200);
    expect((await call(app, 'GET', '/path/you', { headers: owner })).status).toBe(403);
  });

  it('refuses a class with options but no @Controller', async () => {
    expect(await refusal(`@ApiKey() class Plain { @Get('/') a() { return 1; } }`, 'Plain')).toContain(
      'Plain is not decorated with @Controller()',
    );
  });
});

/** Compiles a standard-mode snippet (after PRELUDE) and returns what createApp says about `controllers`. */
async function refusal(body: string, controllers = 'C', mode: DecoratorMode = 'standard'): Promise<string> {
  const m = await importCompiled<Fixture>(`${PRELUDE}\n${body}\nexport const said = tryMake([${controllers}]);`, mode);
  return m.said as string;
}

describe('createApp refuses what it cannot read, naming class and method', () => {
  it('a @Controller with no routes (a decorator imported from elsewhere), in either mode', async () => {
    const typo = `const Get2 = (..._a) => () => {}; @Controller('/x') class Hello { @Get2('/hello') hello() { return 'hi'; } }`;
    for (const mode of ['standard', 'legacy'] as const) {
      const said = await refusal(typo, 'Hello', mode);
      expect(said).toContain('Hello is a @Controller with no routes');
      expect(said).toContain("@Get('/:id', Param('id'))");
      expect(said).toContain('experimentalDecorators');
    }
  });

  it('a decorator used without parentheses', async () => {
    expect(await refusal(`@Controller('/x') class C { @Get hello() { return 1; } }`)).toContain(
      '@Get on C.hello is used without parentheses',
    );
    expect(await refusal(`@Controller class C { @Get() hello() { return 1; } }`)).toContain('@Controller on C is used without parentheses');
    for (const name of ['Scopes', 'ApiKey', 'Status', 'Tags', 'Deprecated', 'Secured', 'Returns']) {
      expect(await refusal(`@Controller('/x') class C { @Get() @${name} hello() { return 1; } }`)).toContain(
        `@${name} on C.hello is used without parentheses`,
      );
    }
    expect(await refusal(`@Controller('/x') @ApiKey class C { @Get() hello() { return 1; } }`)).toContain(
      '@ApiKey on C is used without parentheses',
    );
    expect(await refusal(`@Controller('/x') class C { @Get() hello() { return 1; } }`)).toBe('accepted');
  });

  it('the same mistakes with legacy decorators', async () => {
    const legacy = (body: string) => refusal(body, 'C', 'legacy');
    expect(await legacy(`@Controller('/x') class C { @Get hello() { return 1; } }`)).toContain(
      '@Get on C.hello is used without parentheses',
    );
    expect(await legacy(`@Controller class C { @Get() hello() { return 1; } }`)).toContain('@Controller on C is used without parentheses');
    expect(await legacy(`@Controller('/x') @ApiKey class C { @Get() hello() { return 1; } }`)).toContain(
      '@ApiKey on C is used without parentheses',
    );
    expect(await legacy(`@Controller('/x') class C { @Get('/x') hello(@Param id) { return id; } }`)).toContain(
      '@Param on C.hello is used without parentheses',
    );
    expect(await legacy(`@Controller('/x') class C { @Get() ok() { return 1; } @Get('/f') field = 1; }`)).toContain('@Get on C.field');
    expect(await legacy(`@Controller('/x') class C { @Get() ok() { return 1; } @Get('/s') static s() { return 1; } }`)).toContain(
      'not on a static member',
    );
  });

  it('a route decorator on a field, getter, accessor, static or private method', async () => {
    const cases: [string, string][] = [
      [`@Get('/f') field = 1;`, '@Get on C.field: it belongs on an instance method of a @Controller class, not on a field'],
      [`@Get('/g') get value() { return 1; }`, 'not on a getter'],
      [`@Get('/a') accessor count = 1;`, 'not on a accessor'],
      [`@Get('/s') static s() { return 1; }`, 'not on a static method'],
      [`@Get('/p') #p() { return 1; }`, 'not on a private (#) method'],
      [`@Scopes('x') field = 1;`, '@Scopes on C.field'],
    ];
    for (const [member, message] of cases) {
      expect(await refusal(`@Controller('/x') class C { @Get() ok() { return 1; } ${member} }`)).toContain(message);
    }
    expect(await refusal(`@Controller('/x') class C { @Get() @Param('id') ok() { return 1; } }`)).toContain(
      "Param(...) on C.ok is not on a parameter: list it in the route decorator instead, e.g. @Get('/:id', Param(...))",
    );
  });

  it('specs that do not match the handler, and both forms on one method', async () => {
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id')) get(id, q) { return id; } }`)).toContain(
      "C.get takes 2 parameters but @Get('/:id', ...) lists 1 parameter spec",
    );
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), Query('q')) get(id) { return id; } }`)).toContain(
      "C.get takes 1 parameter but @Get('/:id', ...) lists 2 parameter specs",
    );
    // a default value makes fn.length stop counting: accepted
    expect(
      await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), Query('q')) get(id, q = 'none') { return { id, q }; } }`),
    ).toBe('accepted');
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), v.string()) get(id, q) { return id; } }`)).toContain(
      '@Get on C.get: argument 3 is not a parameter spec',
    );
    expect(await refusal(`@Controller('/x') class C { @Get('/', Param) get(id) { return id; } }`)).toContain(
      'argument 2 is not a parameter spec',
    );
    const both = `@Controller('/x') class C { @Get('/:id', Param('id')) get(@Param('id') id) { return id; } }`;
    expect(await refusal(both, 'C', 'legacy')).toContain('C.get has parameter specs in @Get(...) and parameter decorators: use one form');
    expect(await refusal(`@Controller('/x') class C { @Get('/:id') get(id) { return id; } }`)).toContain(
      'C.get parameter 0 has no decorator',
    );
  });
});

describe('standard decorators without context.metadata', () => {
  it('attaches member records by the method itself, as TypeScript emits them where Symbol.metadata is missing', async () => {
    class Bare {
      hello() {
        return { hi: true };
      }
      skipped() {}
    }
    const context = (kind: string, name: string) => ({
      kind,
      name,
      static: false,
      private: false,
      addInitializer() {},
      metadata: undefined,
    });
    // what a standard method decorator and then the class decorator receive
    (Get('/hello') as unknown as (v: unknown, c: unknown) => void)(Bare.prototype.hello, context('method', 'hello'));
    (Controller('/bare') as unknown as (v: unknown, c: unknown) => void)(Bare, context('class', 'Bare'));
    const res = await testApp([Bare]).fetch(new Request('http://test.local/bare/hello'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hi: true });
  });

  it('works with TypeScript own emit (tsc, no experimentalDecorators) on this Node', async () => {
    const ts = (await import('typescript')).default;
    const source = `${PRELUDE}
@Controller('/items') class I { @Get('/:id', Param('id'), Query('q')) @Scopes('read:item') get(id: string, q?: string) { return { id, q }; } }
export const app = make([I]);`;
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
    }).outputText;
    expect(js).toContain('__esDecorate');
    const { app } = await importCompiled<Fixture>(js, 'standard');
    const res = await call(app, 'GET', '/items/7?q=x', { headers: bearer(await token(['read:item'])) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '7', q: 'x' });
  });
});
