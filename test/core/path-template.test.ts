import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, Param } from '../../src/index.ts';
import { assertSafeTemplate, hasPathParam, openApiPath, pathParamNames, pathVariants } from '../../src/kernel/path-template.ts';

describe('route templates: one parser for the router, the extractors and the OpenAPI document', () => {
  it('reads parameter names with their itty modifiers', () => {
    expect(pathParamNames('/patients/:patient_id/files/:path+')).toEqual(['patient_id', 'path']);
    expect(hasPathParam('/a/:id?', 'id')).toBe(true);
    // a parameter whose name merely starts with the one asked for is another parameter
    expect(hasPathParam('/a/:identifier', 'id')).toBe(false);
    expect(openApiPath('/a/:id?/b/:rest+')).toBe('/a/{id}/b/{rest}');
    expect(pathVariants('/a/:id?').map((v) => v.path)).toEqual(['/a/{id}', '/a']);
  });

  it('refuses a template itty-router would match with catastrophic backtracking', () => {
    expect(() => assertSafeTemplate('/x/:a-:b')).toThrow(/more than one parameter/);
    expect(() => assertSafeTemplate('/:a+/:b+/:c+')).toThrow(/3 greedy parts/);
  });

  it('refuses @Param naming a parameter the path does not have, even a prefix of one', () => {
    @Controller()
    class Items {
      @Get('/items/:identifier')
      get(@Param('id') id: string) {
        return id;
      }
    }
    expect(() => createApp({ controllers: [Items], env: { ENVIRONMENT: 'TEST' }, testing: true })).toThrow(
      /@Param\('id'\) is not in the path \/items\/:identifier/,
    );
  });

  it('tells a FastAPI-style {id} template to be written :id', () => {
    @Controller()
    class Items {
      @Get('/items/{id}')
      get(@Param('id') id: string) {
        return id;
      }
    }
    expect(() => createApp({ controllers: [Items], env: { ENVIRONMENT: 'TEST' }, testing: true })).toThrow(
      "@Param('id') is not in the path /items/{id} (write path parameters as :id, not {id})",
    );
  });
});
