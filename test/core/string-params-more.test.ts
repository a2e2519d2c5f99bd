// More schemas for Param/Query/Header values, which are strings: numeric enums and arrays of
// numbers are refused at createApp (they 422 every request), a fallback is not (it never does).
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Controller, Get, Param, Query } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

enum Level {
  Low = 1,
  High = 2,
}
enum Colour {
  Red = 'red',
  Blue = 'blue',
}

function appWith(path: string, spec: ReturnType<typeof Param>) {
  @Controller('/t')
  class Route {
    @Get(path, spec)
    one(value: unknown) {
      return { value: value ?? null };
    }
  }
  return testApp([Route]);
}

describe('string values against enums, arrays and fallbacks', () => {
  it('refuses a numeric TypeScript enum (its reverse mapping holds strings valibot never accepts)', () => {
    expect(() => appWith('/:n', Param('n', v.enum(Level)))).toThrow(
      /Param\('n'\) is a valibot enum schema, but path values are always strings/,
    );
  });

  it('accepts a string enum, and answers with its value', async () => {
    const res = await appWith('/:c', Param('c', v.enum(Colour))).fetch(get('/t/red'));
    expect(await res.json()).toEqual({ value: 'red' });
  });

  it('refuses a query array of numbers, with the conversion for each value', () => {
    expect(() => appWith('/', Query('ids', v.array(v.number())))).toThrow(
      /Query\('ids'\) is a valibot array of number schema, but query values are always strings.*v\.toNumber\(\)/,
    );
  });

  it('accepts a query array of converted strings: a repeated key gives every value', async () => {
    const ids = v.array(v.pipe(v.string(), v.decimal(), v.toNumber()));
    const res = await appWith('/', Query('ids', ids)).fetch(get('/t?ids=1&ids=2'));
    expect(await res.json()).toEqual({ value: [1, 2] });
  });

  it('accepts a fallback: a value the schema refuses becomes the fallback, never a 422', async () => {
    const res = await appWith('/:n', Param('n', v.fallback(v.number(), 1))).fetch(get('/t/7'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ value: 1 });
  });
});
