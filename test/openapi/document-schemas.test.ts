// The document's schemas that need care: recursive schemas, optional path parameters, dates and bigints, -Input twins.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Body, Controller, createApp, Get, Param, Post, Returns, silentLogger } from '../../src/index.ts';
import { Category, CategoryController } from '../fixtures/openapi-everything.ts';
import { type Doc, expectRefsResolve, expectValidOpenApi, fixtureDocument } from './helpers.ts';

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
