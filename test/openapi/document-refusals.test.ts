// Mistakes in operation ids and docs options: refused when the app is created, not on the first GET /openapi.json.
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Doc as DocDecorator, Get } from '../../src/index.ts';
import { CategoryController, Thing } from '../fixtures/openapi-everything.ts';
import type { Doc } from './helpers.ts';

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
