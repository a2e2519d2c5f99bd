// Path, query and header values are strings: a schema no string satisfies is refused at createApp, not a 422 on every request.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Controller, Get, Header, Param, Query } from '../../src/index.ts';
import { testApp } from './helpers.ts';

type Spec = ReturnType<typeof Param>;

function appWith(path: string, spec: Spec) {
  @Controller('/t')
  class Route {
    @Get(path, spec)
    one(value: unknown) {
      return { value: value ?? null };
    }
  }
  return testApp([Route]);
}

describe('a Param, Query or Header schema no string can satisfy', () => {
  it.each([
    [
      'Param v.number()',
      '/:n',
      Param('n', v.number()),
      /Param\('n'\) is a valibot number schema, but path values are always strings.*v\.toNumber\(\)/,
    ],
    [
      'Query v.boolean()',
      '/',
      Query('b', v.boolean()),
      /Query\('b'\) is a valibot boolean schema, but query values.*v\.picklist\(\['true', 'false'\]\)/,
    ],
    [
      'Header optional number',
      '/',
      Header('x-num', v.optional(v.number())),
      /Header\('x-num'\) is a valibot number schema, but header values/,
    ],
    ['Param piped bigint', '/:n', Param('n', v.pipe(v.bigint(), v.minValue(1n))), /valibot bigint schema.*v\.toBigint\(\)/],
    ['Param v.date()', '/:d', Param('d', v.date()), /valibot date schema.*v\.toDate\(\)/],
    ['Header v.object()', '/', Header('x-o', v.object({})), /valibot object schema/],
    ['Param union of numbers', '/:n', Param('n', v.union([v.number(), v.literal(1)])), /valibot number schema/],
    [
      'whole-query property',
      '/',
      Query(v.object({ page: v.optional(v.number()) })),
      /Query\(schema\) property "page" is a valibot number schema/,
    ],
  ])('refuses %s at createApp with the conversion to use', (_name, path, spec, message) => {
    expect(() => appWith(path, spec)).toThrow(message);
  });

  it('names the class, method and parameter', () => {
    expect(() => appWith('/:n', Param('n', v.number()))).toThrow(/^Route\.one parameter 0: /);
  });
});

describe('schemas that take the string', () => {
  const get = async (path: string, spec: Spec, url: string, headers: Record<string, string> = {}) => {
    const res = await appWith(path, spec).fetch(new Request(`http://test/t${url}`, { headers }));
    return { status: res.status, body: await res.json() };
  };

  it('converts a path value with v.pipe(v.string(), v.decimal(), v.toNumber())', async () => {
    expect(await get('/:n', Param('n', v.pipe(v.string(), v.decimal(), v.toNumber())), '/3.5')).toEqual({
      status: 200,
      body: { value: 3.5 },
    });
  });

  it('reads "false" as false with the boolean conversion the message suggests', async () => {
    const flag = v.pipe(
      v.picklist(['true', 'false']),
      v.transform((s) => s === 'true'),
    );
    expect(await get('/', Query('b', flag), '/?b=false')).toEqual({ status: 200, body: { value: false } });
  });

  it('accepts an array schema for a query value, which a repeated key fills', async () => {
    expect(await get('/', Query('tag', v.array(v.string())), '/?tag=a&tag=b')).toEqual({ status: 200, body: { value: ['a', 'b'] } });
  });

  it('accepts a union that lets a string through', async () => {
    const spec = Header('x-id', v.union([v.number(), v.string()]));
    expect(await get('/', spec, '/', { 'x-id': '7' })).toEqual({ status: 200, body: { value: '7' } });
  });
});
