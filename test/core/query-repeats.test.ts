import { describe, expect, it } from 'vitest';
import { Controller, Get, Query } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

@Controller('/search')
class SearchController {
  @Get('/')
  search(@Query('a') a: string | string[] | undefined) {
    return { count: Array.isArray(a) ? a.length : a === undefined ? 0 : 1 };
  }
}

describe('@Query with one key repeated many times', () => {
  // copying the array per repeat made this take minutes and block the event loop; the test timeout catches it
  it('answers 200 with every value of a key repeated 100,000 times', async () => {
    const app = testApp([SearchController]);
    const res = await app.fetch(get(`/search?${'a=1&'.repeat(100_000)}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 100_000 });
  });

  it('still answers a single value as a string and two as an array', async () => {
    const app = testApp([SearchController]);
    expect(await (await app.fetch(get('/search?a=1'))).json()).toEqual({ count: 1 });
    expect(await (await app.fetch(get('/search?a=1&a=2&b=3'))).json()).toEqual({ count: 2 });
  });
});
