import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { DEV_DEFAULTS } from '../../examples/app/dev-env.ts';
import { createDemoApp } from '../../examples/app/index.ts';
import { SecureController, secureDemoControllers } from '../../examples/app/secure.ts';
import { Body, Controller, createApp, Doc as DocDecorator, Get, Param, Post, Returns, Scopes, silentLogger } from '../../src/index.ts';
import { sortKeys } from '../../src/openapi/sort.ts';
import { Category, CategoryController, Thing } from '../fixtures/openapi-everything.ts';
import { type Doc, expectValidOpenApi, fixtureDocument } from './helpers.ts';

// the demo's development settings, as examples/app/app.ts applies them: every demo route is there
const env = { ...DEV_DEFAULTS, ENVIRONMENT: 'TEST' };
const SECURE_PATHS = ['/secure/key', '/secure/me', '/secure/patients/{patient_id}', '/secure/scoped'];

/** Every `$ref` in a document, so a test can check each one resolves. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') out.push(item);
      else refsOf(item, out);
    }
  }
  return out;
}

function expectRefsResolve(doc: Doc): void {
  for (const ref of refsOf(doc)) {
    expect(ref).toMatch(/^#\/components\/schemas\//);
    expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  }
}

describe('app.openapi()', () => {
  it('gives the demo service a valid OpenAPI 3.1 document, its secured routes included', async () => {
    const app = createDemoApp({ env, testing: true });
    const doc: Doc = app.openapi();
    await expectValidOpenApi(doc);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Patients', version: '1.0.0', description: 'The fetch-batteries demo service' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/patients', '/patients/{patient_id}', '/hello', ...SECURE_PATHS]));
    // one path per route template: nothing the app serves is left out
    expect(Object.keys(doc.paths)).toHaveLength(new Set(app.definitions.map((d) => d.path)).size);
    expect(doc.paths['/secure/scoped'].get.security).toEqual([{ bearerAuth: ['read:patient'] }]);
    expect(doc.paths['/secure/key'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/patients/{patient_id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Patient',
    });
    expect(doc.components.schemas.NewPatient.required).toEqual(['first_name', 'last_name']);
    await app.close();
  });

  it('says on stderr when the demo leaves its /secure routes out of a process-env build', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('ACCEPTED_API_KEY', '');
    try {
      expect(secureDemoControllers({})).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('the /secure routes are left out'));
      warn.mockClear();
      // an env given in code (a test's) is never warned about
      expect(secureDemoControllers({ env: { ENVIRONMENT: 'TEST' } })).toEqual([]);
      expect(secureDemoControllers({ env })).toEqual([SecureController]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });

  it('stays valid with every battery route the app serves (testing: false)', async () => {
    const app = createDemoApp({ env, logger: silentLogger });
    const doc: Doc = app.openapi();
    await expectValidOpenApi(doc);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([...SECURE_PATHS, '/running', '/version', '/healthcheck']));
    expect(doc.paths['/running'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.tags).toEqual(['infra']);
    expect(doc.paths['/metrics']).toBeUndefined();
    await app.close();
  });

  it('gives a controller using every decorator a valid OpenAPI 3.1 document', async () => {
    await expectValidOpenApi(fixtureDocument());
    await expectValidOpenApi(fixtureDocument({ errorFormat: 'problem' }));
  });

  it('is checked by a validator that really rejects a broken document', async () => {
    const doc: Doc = fixtureDocument();
    doc.paths['/things'].get.responses = 'none';
    await expect(expectValidOpenApi(doc)).rejects.toThrow(/invalid OpenAPI document/);
  });

  it('turns path templates into {param} form with every path parameter required', () => {
    const doc: Doc = fixtureDocument();
    const relabel = doc.paths['/things/{thing_id}/labels/{label}'].patch;
    expect(relabel.parameters.filter((p: Doc) => p.in === 'path').map((p: Doc) => [p.name, p.required])).toEqual([
      ['thing_id', true],
      ['label', true],
    ]);
    expect(doc.paths['/things/{thing_id}'].get.parameters[0]).toEqual({
      in: 'path',
      name: 'thing_id',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    });
  });

  it('documents query and header parameters from the valibot schemas', () => {
    const list: Doc = fixtureDocument().paths['/things'].get;
    expect(list.parameters).toEqual([
      { in: 'query', name: 'page', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
      { in: 'query', name: 'q', required: true, schema: { type: 'string' } },
      { in: 'header', name: 'x-tenant', required: false, schema: { type: 'string' } },
    ]);
    const relabel: Doc = fixtureDocument().paths['/things/{thing_id}/labels/{label}'].patch;
    expect(relabel.parameters).toContainEqual({ in: 'query', name: 'dry_run', required: false, schema: { type: 'string' } });
  });

  it('documents the JSON request body, stopping at a transform instead of failing', () => {
    const create: Doc = fixtureDocument().paths['/things'].post;
    expect(create.requestBody.required).toBe(true);
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['name', 'label', 'checked']);
    expect(schema.properties.label).toEqual({ type: 'string' });
    expect(schema.properties.name).toEqual({ type: 'string', minLength: 1 });
  });

  it('documents @Returns and @Status, with dates and bigints as JSON carries them', () => {
    const doc: Doc = fixtureDocument();
    const created = doc.paths['/things'].post.responses['201'];
    expect(created.description).toBe('Created');
    const thing = created.content['application/json'].schema;
    expect(thing.properties.created).toEqual({ type: 'string', format: 'date-time' });
    expect(thing.properties.count).toEqual({ type: ['integer', 'string'] });
    expect(thing.properties.kind).toEqual({ type: 'string', enum: ['small', 'large'] });
    expect(doc.paths['/things/{thing_id}'].get.responses['404']).toEqual({ description: 'No such thing' });
    expect(doc.paths['/things/{thing_id}'].delete.responses['204']).toEqual({ description: 'No content' });
    expect(doc.paths['/things'].post.responses['200']).toBeUndefined();
  });

  it('lists the error responses each route can give', () => {
    const doc: Doc = fixtureDocument();
    const statuses = (method: string, path: string) => Object.keys(doc.paths[path][method].responses).sort();
    expect(statuses('get', '/things')).toEqual(['200', '422']);
    expect(statuses('post', '/things')).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '503']);
    expect(statuses('get', '/things/{thing_id}')).toEqual(['200', '400', '401', '403', '404', '422', '503']);
    expect(statuses('get', '/hello')).toEqual(['200', '401', '403', '503']);
    expect(statuses('delete', '/things/{thing_id}')).toEqual(['204', '400']);
    const post = doc.paths['/things'].post.responses;
    expect(post['401'].description).toContain('No API key supplied');
    expect(post['403'].description).toContain('Invalid API key supplied');
    expect(post['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ValidationError' });
    expect(post['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/things/{thing_id}'].get.responses['403'].description).toContain('Not enough permissions');
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.responses['403'].description).toContain('Forbidden');
    expect(doc.components.schemas.Error).toEqual({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
  });

  it('documents docs.schemas once in components.schemas and references them by $ref', async () => {
    const doc: Doc = fixtureDocument({ docs: { schemas: { Thing } } });
    await expectValidOpenApi(doc);
    expect(doc.components.schemas.Thing.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 50 });
    expect(doc.paths['/things'].get.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Thing' },
    });
    expect(doc.paths['/things'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });

  it('refuses a docs.schemas name that a built-in error schema uses', () => {
    expect(() => fixtureDocument({ docs: { schemas: { Error: Thing } } })).toThrow(/"Error" is the name of a built-in error schema/);
  });

  it('names problem+json error responses when errorFormat is "problem"', () => {
    const doc: Doc = fixtureDocument({ errorFormat: 'problem' });
    const responses = doc.paths['/things'].post.responses;
    expect(Object.keys(responses['415'].content)).toEqual(['application/problem+json']);
    expect(responses['422'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ValidationProblem' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
  });

  it('carries tags, deprecation, summary, description and operation ids', () => {
    const doc: Doc = fixtureDocument();
    const list = doc.paths['/things'].get;
    expect(list.tags).toEqual(['things']);
    expect(list.summary).toBe('List things');
    expect(list.description).toBe('Every thing, paged.');
    const remove = doc.paths['/things/{thing_id}'].delete;
    expect(remove.deprecated).toBe(true);
    expect(remove.description).toContain('DELETE /v2/things/:thing_id');
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.operationId).toBe('relabelThing');
    expect(list.operationId).toBe('ThingController_list');
    expect(doc.paths['/things-count'].get.operationId).toBe('HelloController_list');
    expect(doc.tags).toEqual([{ name: 'things' }]);
  });

  it('gives every operation a unique operation id', () => {
    const doc: Doc = fixtureDocument({}, [
      { method: 'GET', path: '/running', infra: true },
      { method: 'GET', path: '/version', infra: true },
    ]);
    const ids = Object.values(doc.paths).flatMap((item: Doc) => Object.values(item).map((op: Doc) => op.operationId));
    expect(ids.length).toBeGreaterThan(8);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tags monitoring routes "infra" and hides /metrics and the docs routes', async () => {
    const doc: Doc = fixtureDocument({}, [
      { method: 'GET', path: '/running', infra: true },
      { method: 'GET', path: '/version', infra: true },
      { method: 'GET', path: '/healthcheck', infra: true },
      { method: 'GET', path: '/metrics', infra: true },
      { method: 'GET', path: '/openapi.json', infra: true },
      { method: 'GET', path: '/docs', infra: true },
      { method: 'GET', path: '/docs/init.js', infra: true },
    ]);
    await expectValidOpenApi(doc);
    expect(doc.paths['/running'].get.tags).toEqual(['infra']);
    expect(doc.paths['/version'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.responses['503']).toBeDefined();
    expect(doc.paths['/running'].get.responses['200'].content['application/json'].schema.properties.running.type).toBe('boolean');
    for (const hidden of ['/metrics', '/openapi.json', '/docs', '/docs/init.js']) expect(doc.paths[hidden]).toBeUndefined();
    expect(doc.tags).toContainEqual({ name: 'infra', description: 'Monitoring endpoints' });
  });
});

describe('schemas that need care', () => {
  it('moves an unnamed recursive (v.lazy) schema into components.schemas, so every $ref resolves', async () => {
    const doc: Doc = fixtureDocument();
    await expectValidOpenApi(doc);
    expectRefsResolve(doc);
    expect(JSON.stringify(doc)).not.toContain('$defs');
    const body = doc.paths['/categories'].post.requestBody.content['application/json'].schema;
    expect(body.properties.children.items).toEqual({ $ref: '#/components/schemas/CategoryController_create_body' });
    const component = doc.components.schemas.CategoryController_create_body;
    expect(component.properties.children.items).toEqual({ $ref: '#/components/schemas/CategoryController_create_body' });
    // input and output forms are the same: one component serves the response too
    const created = doc.paths['/categories'].post.responses['201'].content['application/json'].schema;
    expect(created.properties.children.items).toEqual({ $ref: '#/components/schemas/CategoryController_create_body' });
  });

  it('uses the docs.schemas name for a recursive schema that has one, and the same names on every build', async () => {
    const doc: Doc = fixtureDocument({ docs: { schemas: { Category } } });
    await expectValidOpenApi(doc);
    expectRefsResolve(doc);
    expect(doc.paths['/categories'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Category' });
    expect(doc.components.schemas.Category.properties.children.items).toEqual({ $ref: '#/components/schemas/Category' });
    expect(doc.components.schemas.CategoryController_create_body).toBeUndefined();
    expect(JSON.stringify(fixtureDocument())).toBe(JSON.stringify(fixtureDocument()));
  });

  it("names an unnamed recursive schema after its v.title, and a response's after the route and status", async () => {
    type Tree = { label: string; kids: Tree[] };
    const Tree: v.GenericSchema<Tree> = v.pipe(v.object({ label: v.string(), kids: v.array(v.lazy(() => Tree)) }), v.title('Tree'));
    type Chain = { next: Chain | null };
    const Chain: v.GenericSchema<Chain> = v.object({ next: v.nullable(v.lazy(() => Chain)) });
    @Controller('/trees')
    class Trees {
      @Post('/')
      @Returns(200, Chain)
      plant(@Body(Tree) _tree: unknown) {
        return { next: null };
      }
    }
    const doc = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [Trees] }).openapi() as Doc;
    await expectValidOpenApi(doc);
    expectRefsResolve(doc);
    expect(doc.components.schemas.Tree.properties.kids.items).toEqual({ $ref: '#/components/schemas/Tree' });
    expect(doc.components.schemas.Trees_plant_200.properties.next.anyOf[0]).toEqual({ $ref: '#/components/schemas/Trees_plant_200' });
  });

  it('documents both paths of an optional path parameter, as the router serves both', async () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/categories'].get.operationId).toBe('CategoryController_find_without_category_id');
    expect(doc.paths['/categories'].get.parameters).toBeUndefined();
    expect(doc.paths['/categories/{category_id}'].get.operationId).toBe('CategoryController_find');
    expect(doc.paths['/categories/{category_id}'].get.parameters).toEqual([
      { in: 'path', name: 'category_id', required: true, schema: { type: 'string' } },
    ]);
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, logger: silentLogger, controllers: [CategoryController] });
    expect(await (await app.fetch(new Request('http://t.local/categories'))).json()).toEqual({});
    expect(await (await app.fetch(new Request('http://t.local/categories/c-1'))).json()).toEqual({ id: 'c-1' });
  });

  it('lists each concrete path of several optional parameters once, and leaves a path another route owns to it', async () => {
    @Controller('/m')
    class Many {
      @Get('/:x?/:y?')
      pair(@Param('x') x?: string, @Param('y') y?: string) {
        return { x, y };
      }

      @Get('/:id?/raw')
      raw() {
        return 'raw';
      }
    }
    @Controller('/')
    class Owner {
      @Get('/m/raw')
      owner() {
        return 'owner';
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, logger: silentLogger, controllers: [Many, Owner] });
    const doc = app.openapi() as Doc;
    await expectValidOpenApi(doc);
    expect(Object.keys(doc.paths).sort()).toEqual(['/m', '/m/raw', '/m/{id}/raw', '/m/{x}', '/m/{x}/{y}']);
    expect(doc.paths['/m/raw'].get.operationId).toBe('Owner_owner');
    expect(await (await app.fetch(new Request('http://t.local/m/raw'))).text()).toBe('owner');
    expect(await (await app.fetch(new Request('http://t.local/m/a'))).json()).toEqual({ x: 'a' });
  });

  it('documents v.date() and v.bigint() in a request as accepting no value, since JSON never satisfies them', async () => {
    const doc: Doc = fixtureDocument();
    const due = doc.paths['/things'].post.requestBody.content['application/json'].schema.properties.due;
    expect(due).toEqual({ not: {}, description: 'No value is accepted: JSON cannot carry a Date' });
    @Controller('/d')
    class Dated {
      @Post('/')
      create(@Body(v.object({ at: v.date() })) body: unknown) {
        return body;
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, logger: silentLogger, controllers: [Dated] });
    const response = await app.fetch(
      new Request('http://t.local/d', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"at":"2024-01-01T00:00:00Z"}',
      }),
    );
    expect(response.status).toBe(422);
  });

  it('gives a named schema used both ways an -Input twin when its request form differs', async () => {
    const Event = v.object({ name: v.string(), at: v.date() });
    const Label = v.object({ text: v.string() });
    @Controller('/events')
    class Events {
      @Post('/')
      @Returns(200, Event)
      create(@Body(Event) _event: unknown) {
        return {};
      }

      @Post('/labels')
      @Returns(200, Label)
      label(@Body(Label) label: unknown) {
        return label;
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [Events], docs: { schemas: { Event, Label } } });
    const doc = app.openapi() as Doc;
    await expectValidOpenApi(doc);
    expect(doc.paths['/events'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Event-Input' });
    expect(doc.paths['/events'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Event' });
    expect(doc.components.schemas.Event.properties.at).toEqual({ type: 'string', format: 'date-time' });
    expect(doc.components.schemas['Event-Input'].properties.at.not).toEqual({});
    // the same both ways: one component
    expect(doc.paths['/events/labels'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Label' });
    expect(doc.components.schemas['Label-Input']).toBeUndefined();
  });
});

describe('refused when the app is created', () => {
  it('refuses an operationId given to two routes, naming both', () => {
    @Controller('/o')
    class Twice {
      @Get('/one')
      @DocDecorator({ operationId: 'same' })
      one() {
        return 1;
      }

      @Get('/two')
      @DocDecorator({ operationId: 'same' })
      two() {
        return 2;
      }
    }
    expect(() => createApp({ env: { ENVIRONMENT: 'TEST' }, controllers: [Twice] })).toThrow(
      /operationId "same" is given to two routes: Twice\.one \(GET \/o\/one\) and Twice\.two \(GET \/o\/two\)/,
    );
  });

  it('keeps an explicit operationId and moves the generated one that would collide', () => {
    @Controller('/c')
    class Clash {
      @Get('/a')
      list() {
        return 1;
      }

      @Get('/b')
      @DocDecorator({ operationId: 'Clash_list' })
      other() {
        return 2;
      }
    }
    const doc = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [Clash] }).openapi() as Doc;
    expect(doc.paths['/c/b'].get.operationId).toBe('Clash_list');
    expect(doc.paths['/c/a'].get.operationId).toBe('Clash_list_2');
  });

  it.each([
    ['a built-in error schema name', { schemas: { Error: Thing } }, /"Error" is the name of a built-in error schema/],
    ['a name OpenAPI does not allow', { schemas: { 'My Thing': Thing } }, /"My Thing" is not a valid component name/],
    ['one schema under two names', { schemas: { A: Thing, B: Thing } }, /"A" and "B" are the same schema/],
    ['something that is not a schema', { schemas: { A: 'string' } }, /"A" is not a valibot schema/],
    ['a misspelt option', { assetUrl: '/x' }, /unknown option "assetUrl"/],
    ['an empty assets URL', { assetsUrl: ' ' }, /docs.assetsUrl must be a non-empty URL/],
  ])('refuses docs with %s at createApp, not on the first GET /openapi.json', (_name, docs, message) => {
    expect(() => createApp({ env: { ENVIRONMENT: 'TEST' }, controllers: [CategoryController], docs: docs as never })).toThrow(message);
  });
});

describe('OpenAPI security', () => {
  it('declares bearerAuth as an HTTP bearer JWT scheme and apiKey as the X-Api-Key header', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
  });

  it("puts a route's @Scopes in its bearerAuth requirement (as the Python package asserts)", () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/hello'].get.security).toEqual([{ bearerAuth: ['hello:world'] }]);
    expect(doc.paths['/things/{thing_id}'].get.security).toEqual([{ bearerAuth: ['read:thing', 'read:all'] }]);
  });

  it('requires bearerAuth with no scopes for @Secured, @User and @Token routes', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/things/{thing_id}'].put.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/whoami'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  it('documents @Scopes() with no scopes as bearerAuth [] because it is enforced as "any valid token"', async () => {
    @Controller('/any')
    class AnyToken {
      @Get('/')
      @Scopes()
      get() {
        return {};
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST', HS_KEY: 'k'.repeat(32), PROXY_URL: 'http://internal' }, controllers: [AnyToken] });
    const doc = app.openapi() as Doc;
    expect(doc.paths['/any'].get.security).toEqual([{ bearerAuth: [] }]);
    expect((await app.fetch(new Request('http://test.local/any'))).status).toBe(401);
  });

  it('declares the apiKey scheme only when some route uses @ApiKey', () => {
    @Controller('/only-jwt')
    class OnlyJwt {
      @Get('/')
      @Scopes('read:thing')
      get() {
        return {};
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST', HS_KEY: 'k'.repeat(32), PROXY_URL: 'http://internal' }, controllers: [OnlyJwt] });
    const schemes = (app.openapi() as Doc).components.securitySchemes;
    expect(Object.keys(schemes)).toEqual(['bearerAuth']);
    expect(JSON.stringify(app.openapi())).not.toContain('X-Api-Key');
  });

  it('requires apiKey on @ApiKey routes and nothing on open routes', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/things'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/things'].get.security).toBeUndefined();
    expect(doc.paths['/things/{thing_id}'].delete.security).toBeUndefined();
  });
});

describe('sortKeys', () => {
  it('sorts nested keys, keeps array order, and keeps a key named __proto__ as data', () => {
    const sorted = sortKeys(JSON.parse('{"b":{"z":1,"a":[3,1,2]},"__proto__":{"x":1},"a":0}'));
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"x":1},"a":0,"b":{"a":[3,1,2],"z":1}}');
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
  });
});
