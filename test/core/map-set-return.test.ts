import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get } from '../../src/index.ts';

// JSON.stringify writes a Map and a Set as {}: a 200 with the data silently gone.
describe('a handler returning a Map or a Set', () => {
  it('answers 500 and logs what to return instead; the data is not sent as {}', async () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m) };
    @Controller('/')
    class Things {
      @Get('/map')
      map() {
        return new Map([['a', 1]]);
      }
      @Get('/set')
      set() {
        return new Set(['a']);
      }
      @Get('/object')
      object() {
        return Object.fromEntries(new Map([['a', 1]]));
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, logger, controllers: [Things] });
    const map = await app.fetch(new Request('http://h/map'));
    const set = await app.fetch(new Request('http://h/set'));
    expect([map.status, set.status]).toEqual([500, 500]);
    expect(errors.join('\n')).toContain('return Object.fromEntries(map)');
    expect(errors.join('\n')).toContain('return [...set]');
    expect(await (await app.fetch(new Request('http://h/object'))).json()).toEqual({ a: 1 });
  });
});

describe('a Map or Set subclass with its own toJSON', () => {
  it('is written by its toJSON, as JSON.stringify does', async () => {
    class Registry extends Map<string, number> {
      toJSON() {
        return Object.fromEntries(this);
      }
    }
    class Tags extends Set<string> {
      toJSON() {
        return [...this];
      }
    }
    @Controller('/')
    class Things {
      @Get('/registry')
      registry() {
        return new Registry([['a', 1]]);
      }
      @Get('/tags')
      tags() {
        return new Tags(['x', 'y']);
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Things] });
    expect(await (await app.fetch(new Request('http://h/registry'))).json()).toEqual({ a: 1 });
    expect(await (await app.fetch(new Request('http://h/tags'))).json()).toEqual(['x', 'y']);
  });
});
