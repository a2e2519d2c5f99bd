import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, Query } from '../../src/index.ts';

// An OpenAPI client (form style, explode) and FastAPI's `list[str] = Query()` send a one-item list
// as `?tag=a`; the document says the parameter is an array, so one value must be accepted as one.
@Controller('/')
class Search {
  @Get('/one', Query('tag', v.array(v.string())))
  one(tags: string[]) {
    return { tags };
  }
  @Get('/optional', Query('tag', v.optional(v.array(v.string()), [])))
  optional(tags: string[]) {
    return { tags };
  }
  @Get('/plain', Query('tag', v.string()))
  plain(tag: string) {
    return { tag };
  }
  @Get('/whole', Query(v.object({ tag: v.optional(v.array(v.string())), q: v.optional(v.string()) })))
  whole(query: unknown) {
    return query;
  }
}

const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Search] });
const get = async (path: string) => {
  const res = await app.fetch(new Request(`http://h${path}`));
  return [res.status, await res.json()];
};

describe('an array query schema and a lone value', () => {
  it('?tag=a is ["a"]; a repeated key stays an array', async () => {
    expect(await get('/one?tag=a')).toEqual([200, { tags: ['a'] }]);
    expect(await get('/one?tag=a&tag=b')).toEqual([200, { tags: ['a', 'b'] }]);
    expect((await get('/one'))[0]).toBe(422);
  });

  it('an optional array: absent is the default, one value a one-item list', async () => {
    expect(await get('/optional')).toEqual([200, { tags: [] }]);
    expect(await get('/optional?tag=x')).toEqual([200, { tags: ['x'] }]);
  });

  it('a string schema still gets the string, and a repeated key is still refused there', async () => {
    expect(await get('/plain?tag=a')).toEqual([200, { tag: 'a' }]);
    expect((await get('/plain?tag=a&tag=b'))[0]).toBe(422);
  });

  it('in a whole-query object, each array property alike, the others untouched', async () => {
    expect(await get('/whole?tag=a&q=z')).toEqual([200, { tag: ['a'], q: 'z' }]);
    expect(await get('/whole?q=z')).toEqual([200, { q: 'z' }]);
  });
});

describe('the whole query with a list property', () => {
  it('keeps the null prototype when it wraps a lone value: a key named like an Object member is not inherited', async () => {
    @Controller('/')
    class Odd {
      @Get('/odd', Query(v.object({ tag: v.optional(v.array(v.string())), constructor: v.optional(v.string()) })))
      odd(query: unknown) {
        return query;
      }
    }
    const odd = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Odd] });
    const res = await odd.fetch(new Request('http://h/odd?tag=a'));
    expect([res.status, await res.json()]).toEqual([200, { tag: ['a'] }]);
  });
});
