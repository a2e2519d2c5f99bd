import { describe, expect, it } from 'vitest';
import { Controller, Deprecated, Get, Param, Post, Query, Returns, Status, Tags } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

describe('controllers', () => {
  it('fails fast naming class, method and index when a parameter has no decorator', () => {
    @Controller('/x')
    class Undecorated {
      @Get('/:id')
      get(@Param('id') _id: string, _forgotten: string) {}
    }
    expect(() => testApp([Undecorated])).toThrow('Undecorated.get parameter 1 has no decorator');
  });

  it('fails fast when @Param names a parameter the path does not have', () => {
    @Controller('/x')
    class Typo {
      @Get('/:item_id')
      get(@Param('itemId') _id: string) {}
    }
    expect(() => testApp([Typo])).toThrow(/Typo.get parameter 0: @Param\('itemId'\) is not in the path \/x\/:item_id/);
  });

  it('refuses a class without @Controller and one that needs constructor arguments', () => {
    class NotAController {}
    expect(() => testApp([NotAController])).toThrow(/not decorated with @Controller/);
    @Controller('/svc')
    class NeedsDeps {
      constructor(readonly dep: string) {}
    }
    expect(() => testApp([NeedsDeps])).toThrow(/pass an instance/);
  });

  it('accepts instances for constructor injection', async () => {
    @Controller('/greet')
    class Greeter {
      constructor(private readonly greeting: string) {}
      @Get('/:name')
      greet(@Param('name') name: string) {
        return { text: `${this.greeting}, ${name}` };
      }
    }
    const app = testApp([new Greeter('Hello')]);
    expect(await (await app.fetch(get('/greet/Ada'))).json()).toEqual({ text: 'Hello, Ada' });
  });

  it('turns return values into responses', async () => {
    @Controller('/r')
    class Returns_ {
      @Get('/object') object() {
        return { a: 1 };
      }
      @Get('/array') array() {
        return [1, 2];
      }
      @Get('/text') text() {
        return 'plain';
      }
      @Get('/none') none() {
        return undefined;
      }
      @Get('/null') async nil() {
        return null;
      }
      @Get('/response') response() {
        return new Response('<p>hi</p>', { status: 203, headers: { 'content-type': 'text/html' } });
      }
      @Get('/bigint') big() {
        return { count: 12n, huge: 2n ** 70n };
      }
      @Get('/bytes') bytes() {
        return new Uint8Array([1, 2, 3]);
      }
      @Post('/accepted') @Status(202) accepted() {}
    }
    const app = testApp([Returns_]);
    const object = await app.fetch(get('/r/object'));
    expect([object.status, object.headers.get('content-type'), await object.text()]).toEqual([200, 'application/json', '{"a":1}']);
    expect(await (await app.fetch(get('/r/array'))).json()).toEqual([1, 2]);
    const text = await app.fetch(get('/r/text'));
    expect([text.headers.get('content-type'), await text.text()]).toEqual(['text/plain; charset=utf-8', 'plain']);
    expect((await app.fetch(get('/r/none'))).status).toBe(204);
    expect((await app.fetch(get('/r/null'))).status).toBe(204);
    const response = await app.fetch(get('/r/response'));
    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([203, 'text/html', '<p>hi</p>']);
    expect(await (await app.fetch(get('/r/bigint'))).text()).toBe('{"count":12,"huge":"1180591620717411303424"}');
    const bytes = await app.fetch(get('/r/bytes'));
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3]);
    expect((await app.fetch(get('/r/accepted', { method: 'POST' }))).status).toBe(202);
  });

  it("keeps a handler's own Server-Timing metrics and adds ours after them", async () => {
    @Controller('/timed')
    class Timed {
      @Get('/')
      get() {
        return new Response('{}', { headers: { 'content-type': 'application/json', 'server-timing': 'cache;desc="hit"' } });
      }
    }
    const res = await testApp([Timed]).fetch(get('/timed'));
    expect(res.headers.get('server-timing')).toMatch(/^cache;desc="hit", total;dur=[\d.]+, handler;dur=[\d.]+$/);
  });

  it('answers 500 (not an empty 200) when a handler returns something with no JSON form or Response.error()', async () => {
    @Controller('/odd')
    class Odd {
      @Get('/fn') fn() {
        return () => 1;
      }
      @Get('/symbol') symbol() {
        return Symbol('x');
      }
      @Get('/network-error') networkError() {
        return Response.error();
      }
    }
    const app = testApp([Odd], {}, { ENVIRONMENT: 'PRODUCTION' });
    for (const path of ['/odd/fn', '/odd/symbol', '/odd/network-error']) {
      const res = await app.fetch(get(path));
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal server error' });
      expect(res.headers.get('x-request-id')).toBeTruthy();
      // the failed handler still shows how long it ran
      expect(res.headers.get('server-timing')).toMatch(/handler;dur=/);
    }
  });

  it('answers a @Status(204) route that returns a value with an empty 204, not a 500', async () => {
    @Controller('/n')
    class NoContent {
      @Post('/') @Status(204) save() {
        return { saved: true };
      }
    }
    const res = await testApp([NoContent]).fetch(get('/n', { method: 'POST' }));
    expect([res.status, await res.text()]).toEqual([204, '']);
  });

  it('adds headers to a Response whose headers are immutable', async () => {
    @Controller('/imm')
    class Immutable {
      @Get('/')
      get() {
        return Response.redirect('http://test.local/elsewhere', 302);
      }
    }
    const res = await testApp([Immutable]).fetch(get('/imm'));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://test.local/elsewhere');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('merges class-level options into each route and records them', () => {
    @Controller('/v1/things')
    @Tags('things')
    @Deprecated({ supersededBy: 'GET /v2/things' })
    class Things {
      @Get('/')
      @Tags('list')
      @Returns(200, undefined, 'All things')
      list(@Query('page') _page?: string) {}
    }
    const app = testApp([Things]);
    const [route] = app.definitions;
    expect(route).toMatchObject({
      method: 'GET',
      path: '/v1/things',
      tags: ['things', 'list'],
      deprecated: { supersededBy: 'GET /v2/things' },
      returns: [{ status: 200, description: 'All things' }],
      params: [{ index: 0, kind: 'query', name: 'page' }],
    });
  });

  it('sends Deprecation and a successor Link on @Deprecated routes', async () => {
    @Controller('/old')
    class Old {
      @Get('/')
      @Deprecated({ supersededBy: 'GET /new-path', since: '2026-01-01T00:00:00Z' })
      get() {
        return {};
      }
    }
    const res = await testApp([Old]).fetch(get('/old'));
    expect(res.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 0, 1) / 1000}`);
    expect(res.headers.get('link')).toBe('</new-path>; rel="successor-version"');
  });

  it('rejects @Status outside 200-599', () => {
    expect(() => Status(99)).toThrow(RangeError);
  });
});
