import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Body, Controller, createApp, Get, Post } from '../../src/index.ts';

// A GET route reading a body used to start and answer 422 to every request: fetch() cannot send one.
describe('Body() on a GET route', () => {
  it('is refused at createApp, saying what to use', () => {
    @Controller('/')
    class Search {
      @Get('/search', Body(v.object({ q: v.string() })))
      search(body: unknown) {
        return body;
      }
    }
    expect(() => createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Search] })).toThrow(
      'Search.search parameter 0: a GET request carries no body; read Query() instead, or make the route a POST',
    );
  });

  it('on a POST it still reads the body', async () => {
    @Controller('/')
    class Search {
      @Post('/search', Body(v.object({ q: v.string() })))
      search(body: unknown) {
        return body;
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Search] });
    const res = await app.fetch(
      new Request('http://h/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"x"}' }),
    );
    expect(await res.json()).toEqual({ q: 'x' });
  });
});
