import { describe, expect, it } from 'vitest';
import { Controller, Ctx, createApp, Delete, Get, Param, Post, Put, Query, type RequestContext } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

@Controller('/items')
class ItemController {
  @Get('/')
  list(@Query('tag') tag: string | string[] | undefined) {
    return { tag: tag ?? null };
  }

  @Get('/search')
  search() {
    return { route: 'static' };
  }

  @Get('/:item_id')
  get(@Param('item_id') id: string, @Ctx() ctx: RequestContext) {
    return { id, route: ctx.route };
  }

  @Put('/:item_id')
  put(@Param('item_id') id: string) {
    return { put: id };
  }

  @Delete('/:item_id')
  remove() {}

  @Get('/:item_id/files/:path+')
  file(@Param('item_id') id: string, @Param('path') path: string) {
    return { id, path };
  }
}

@Controller()
class RootController {
  @Get('/')
  root() {
    return 'root';
  }

  @Post('/echo-query')
  echo(@Query() q: Record<string, unknown>) {
    return { q, proto: Object.getPrototypeOf(q) === null };
  }
}

const app = testApp([ItemController, RootController]);

describe('routing', () => {
  it('matches a static route before a parameter route', async () => {
    const res = await app.fetch(get('/items/search'));
    expect(await res.json()).toEqual({ route: 'static' });
  });

  it('decodes path parameters once and exposes the route template', async () => {
    const res = await app.fetch(get('/items/a%20b%2Fc'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'a b/c', route: '/items/:item_id' });
  });

  it('answers 400 on malformed percent-encoding, never 500', async () => {
    const res = await app.fetch(get('/items/%E0%A4%A'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Malformed percent-encoding in URL path' });
  });

  it('accepts a trailing slash, answered by the same handler as without it', async () => {
    const staticRes = await app.fetch(get('/items/search/'));
    expect(staticRes.status).toBe(200);
    expect(await staticRes.json()).toEqual({ route: 'static' });
    const paramRes = await app.fetch(get('/items/42/'));
    expect(paramRes.status).toBe(200);
    expect(await paramRes.json()).toEqual({ id: '42', route: '/items/:item_id' });
  });

  it('matches greedy parameters', async () => {
    const res = await app.fetch(get('/items/7/files/a/b/c.txt'));
    expect(await res.json()).toEqual({ id: '7', path: 'a/b/c.txt' });
  });

  it('answers 404 with a message on an unknown path', async () => {
    const res = await app.fetch(get('/nothing/here'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 405 with Allow on a known path and wrong method', async () => {
    const res = await app.fetch(get('/items/42', { method: 'POST' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
    expect(await res.json()).toEqual({ message: 'Method Not Allowed' });
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await app.fetch(get('/items', { method: 'OPTIONS' }));
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await res.text()).toBe('');
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await app.fetch(get('/items/42', { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
  });

  it('answers HEAD without a body on errors too (404, 405, a thrown error), keeping status and headers', async () => {
    for (const [path, status] of [
      ['/nowhere', 404],
      ['/echo-query', 405],
    ] as const) {
      const res = await app.fetch(get(path, { method: 'HEAD' }));
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await res.text()).toBe('');
    }
  });

  it('ignores a #fragment in a hand-made Request URL (path and query)', async () => {
    expect(await (await app.fetch(get('/items/search#top'))).json()).toEqual({ route: 'static' });
    expect(await (await app.fetch(get('/items?tag=a#frag'))).json()).toEqual({ tag: 'a' });
  });

  it('answers 414 when the path is too long', async () => {
    const res = await app.fetch(get(`/items/${'a'.repeat(3000)}`));
    expect(res.status).toBe(414);
  });

  it('gives one query value as a string and repeated ones as an array', async () => {
    expect(await (await app.fetch(get('/items?tag=a'))).json()).toEqual({ tag: 'a' });
    expect(await (await app.fetch(get('/items?tag=a&tag=b'))).json()).toEqual({ tag: ['a', 'b'] });
  });

  it('builds the query object without a prototype, so __proto__ keys are plain data', async () => {
    const res = await app.fetch(get('/echo-query?__proto__=x&constructor=y', { method: 'POST' }));
    expect(await res.json()).toEqual({ q: { ['__proto__']: 'x', constructor: 'y' }, proto: true });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('serves the root path', async () => {
    const res = await app.fetch(get('/'));
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('root');
  });

  it('answers a DELETE that returns nothing with 204', async () => {
    const res = await app.fetch(get('/items/1', { method: 'DELETE' }));
    expect(res.status).toBe(204);
  });

  it('refuses a route with two parameters in one segment (catastrophic backtracking)', () => {
    @Controller('/x')
    class Bad {
      @Get('/:a-:b')
      get() {}
    }
    expect(() => testApp([Bad])).toThrow(/more than one parameter/);
  });

  it('refuses a route with more than two greedy parts (catastrophic backtracking across segments)', () => {
    @Controller('/x')
    class Greedy {
      @Get('/:a+/:b+/:c+/end')
      get() {}
    }
    expect(() => testApp([Greedy])).toThrow(/greedy parts/);
    @Controller('/y')
    class Wild {
      @Get('/*/:b+/*/end')
      get() {}
    }
    expect(() => testApp([Wild])).toThrow(/greedy parts/);
  });

  it('refuses duplicate routes', () => {
    @Controller('/x')
    class Dup {
      @Get('/a')
      one() {}
      @Get('/a')
      two() {}
    }
    expect(() => testApp([Dup])).toThrow(/Duplicate route GET \/x\/a/);
  });

  it('passes app.fetch around as a bare function', async () => {
    const { fetch } = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, controllers: [RootController] });
    expect((await fetch(get('/'))).status).toBe(200);
  });
});
