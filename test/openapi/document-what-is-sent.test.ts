// The document says what the server actually sends: success statuses, wildcard paths, whole-query schemas.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Controller, Delete, Get, Param, Post, Query, Status } from '../../src/index.ts';
import { testApp } from '../core/helpers.ts';
import { type Doc, expectValidOpenApi } from './helpers.ts';

@Controller('/w')
class WhatIsSent {
  @Delete('/d/:id', Param('id'))
  del(id: string) {
    return { deleted: id };
  }

  @Post('/x')
  x() {}

  @Post('/fixed-204')
  @Status(204)
  fixed204() {
    return { dropped: true };
  }

  @Post('/fixed-201')
  @Status(201)
  fixed201() {
    return { created: true };
  }

  @Get('/s/*')
  star() {
    return { star: true };
  }

  @Get('/qr', Query(v.record(v.string(), v.string())))
  record(query: Record<string, string>) {
    return query;
  }

  @Get('/qu', Query(v.union([v.object({ a: v.string() }), v.object({ b: v.string() })])))
  either(query: unknown) {
    return query;
  }
}

const app = testApp([WhatIsSent], { title: 't', version: '1' });
const doc = app.openapi() as Doc;
const send = (method: string, path: string) => app.fetch(new Request(`http://test${path}`, { method }));
const statuses = (method: string, path: string) => Object.keys(doc.paths[path][method].responses).sort();

describe('success statuses in the document', () => {
  it('documents 200 JSON for a DELETE whose handler returns a value, as the server answers', async () => {
    const res = await send('DELETE', '/w/d/7');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: '7' });
    const ok = doc.paths['/w/d/{id}'].delete.responses['200'];
    expect(Object.keys(ok.content)).toEqual(['application/json']);
    expect(statuses('delete', '/w/d/{id}')).toEqual(['200', '204', '400']);
  });

  it('documents 204 for a POST whose handler returns nothing, as the server answers', async () => {
    const res = await send('POST', '/w/x');
    expect(res.status).toBe(204);
    expect(doc.paths['/w/x'].post.responses['204']).toEqual({ description: 'No content (the handler returned nothing)' });
    expect(statuses('post', '/w/x')).toEqual(['200', '204']);
  });

  it('documents only the status @Status fixes', async () => {
    expect((await send('POST', '/w/fixed-204')).status).toBe(204);
    expect(doc.paths['/w/fixed-204'].post.responses).toEqual({ '204': { description: 'No content' } });
    expect((await send('POST', '/w/fixed-201')).status).toBe(201);
    expect(statuses('post', '/w/fixed-201')).toEqual(['201']);
  });

  it('is still a valid OpenAPI 3.1 document', async () => {
    await expectValidOpenApi(doc);
  });
});

describe('wildcards and whole-query schemas', () => {
  it('documents `*` as a path parameter, and the path without it, both of which the router answers', async () => {
    expect((await send('GET', '/w/s/q/r')).status).toBe(200);
    expect((await send('GET', '/w/s')).status).toBe(200);
    expect(doc.paths['/w/s/*']).toBeUndefined();
    expect(doc.paths['/w/s/{wildcard}'].get.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'wildcard', required: true, schema: { type: 'string' } }),
    ]);
    expect(doc.paths['/w/s'].get.parameters).toBeUndefined();
  });

  it('documents Query(v.record(...)) as one form-style object parameter', async () => {
    const res = await send('GET', '/w/qr?a=1&b=2');
    expect(await res.json()).toEqual({ a: '1', b: '2' });
    expect(doc.paths['/w/qr'].get.parameters).toEqual([
      {
        in: 'query',
        name: 'query',
        style: 'form',
        explode: true,
        schema: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
      },
    ]);
  });

  it('documents Query(v.union([...objects])) as one form-style object parameter', async () => {
    expect(await (await send('GET', '/w/qu?b=1')).json()).toEqual({ b: '1' });
    const [parameter, ...rest] = doc.paths['/w/qu'].get.parameters;
    expect(rest).toEqual([]);
    expect(parameter).toMatchObject({ in: 'query', style: 'form', explode: true });
    expect(parameter.schema.anyOf.map((o: Doc) => o.required)).toEqual([['a'], ['b']]);
  });
});
