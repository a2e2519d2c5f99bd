import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, Post, Returns, Secured, Status } from '../../src/index.ts';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };

// The document must describe what is sent: a success status @Status never lets through is not
// documented, and a 403 `Forbidden` only a rule can send is not listed for a rule-less @Secured.
describe('documented responses', () => {
  it("a class's @Status with a method's @Returns(200, schema): the schema is documented under the status sent", async () => {
    const Made = v.object({ id: v.string() });
    @Controller('/m')
    @Status(201)
    class Make {
      @Post('/a')
      @Returns(200, Made)
      a() {
        return { id: '1' };
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Make] });
    expect((await app.fetch(new Request('http://h/m/a', { method: 'POST' }))).status).toBe(201);
    const responses = (app.openapi() as Doc).paths['/m/a'].post.responses;
    expect(Object.keys(responses).filter((code) => code.startsWith('2'))).toEqual(['201']);
    expect(responses['201'].content?.['application/json'].schema).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });
  });

  it("a rule-less @Secured documents no 403 'Forbidden' (only a rule sends it); a rule does", () => {
    @Controller('/s')
    class Guarded {
      @Get('/plain')
      @Secured()
      plain() {
        return {};
      }
      @Get('/ruled')
      @Secured(() => true)
      ruled() {
        return {};
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Guarded] });
    const text = (path: string) => JSON.stringify((app.openapi() as Doc).paths[path].get.responses['403']);
    expect(text('/s/plain')).not.toContain('Forbidden');
    expect(text('/s/ruled')).toContain('Forbidden');
  });
});

describe('a string response schema', () => {
  it('is documented as text/plain, the content type a returned string is sent with', async () => {
    @Controller('/t')
    class Texts {
      @Get('/hello')
      @Returns(200, v.string())
      hello() {
        return 'hello';
      }
      @Get('/json')
      @Returns(200, v.object({ a: v.string() }))
      json() {
        return { a: 'x' };
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Texts] });
    const res = await app.fetch(new Request('http://h/t/hello'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const doc = app.openapi() as Doc;
    expect(Object.keys(doc.paths['/t/hello'].get.responses['200'].content ?? {})).toEqual(['text/plain']);
    expect(Object.keys(doc.paths['/t/json'].get.responses['200'].content ?? {})).toEqual(['application/json']);
  });
});
