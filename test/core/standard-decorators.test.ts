/**
 * TC39 standard decorators (TypeScript's default, no `experimentalDecorators`) next to the legacy
 * ones. vitest compiles this repository with legacy decorators, so every standard-mode fixture
 * is compiled by esbuild (see test/support/standard-build.ts) and imported from a temporary file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type DecoratorMode, importCompiled, removeTemporaryModules } from '../support/standard-build.ts';
import { bearer, call, type Fixture, PRELUDE, refusal, token } from './standard-decorators-support.ts';

afterAll(removeTemporaryModules);

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

const compiled = new Map<string, Promise<Fixture>>();
function load(form: 'specs' | 'params', mode: DecoratorMode): Promise<Fixture> {
  const key = `${form}/${mode}`;
  if (!compiled.has(key)) compiled.set(key, importCompiled<Fixture>(everything(form), mode));
  return compiled.get(key) as Promise<Fixture>;
}

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
