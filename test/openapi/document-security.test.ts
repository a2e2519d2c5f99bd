// The document's security schemes and each route's requirement.
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, Scopes } from '../../src/index.ts';
import { type Doc, fixtureDocument } from './helpers.ts';

describe('OpenAPI security', () => {
  it('declares bearerAuth as an HTTP bearer JWT scheme and apiKey as the X-Api-Key header', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
  });

  it("puts a route's @Scopes in its bearerAuth requirement (as the Python package asserts)", () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/hello'].get.security).toEqual([{ bearerAuth: ['hello:world'] }]);
    expect(doc.paths['/things/{thing_id}'].get.security).toEqual([{ bearerAuth: ['read:thing', 'read:all'] }]);
  });

  it('requires bearerAuth with no scopes for @Secured, @User and @Token routes', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/things/{thing_id}'].put.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/whoami'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  it('documents @Scopes() with no scopes as bearerAuth [] because it is enforced as "any valid token"', async () => {
    @Controller('/any')
    class AnyToken {
      @Get('/')
      @Scopes()
      get() {
        return {};
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST', HS_KEY: 'k'.repeat(32), PROXY_URL: 'http://internal' }, controllers: [AnyToken] });
    const doc = app.openapi() as Doc;
    expect(doc.paths['/any'].get.security).toEqual([{ bearerAuth: [] }]);
    expect((await app.fetch(new Request('http://test.local/any'))).status).toBe(401);
  });

  it('declares the apiKey scheme only when some route uses @ApiKey', () => {
    @Controller('/only-jwt')
    class OnlyJwt {
      @Get('/')
      @Scopes('read:thing')
      get() {
        return {};
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'TEST', HS_KEY: 'k'.repeat(32), PROXY_URL: 'http://internal' }, controllers: [OnlyJwt] });
    const schemes = (app.openapi() as Doc).components.securitySchemes;
    expect(Object.keys(schemes)).toEqual(['bearerAuth']);
    expect(JSON.stringify(app.openapi())).not.toContain('X-Api-Key');
  });

  it('requires apiKey on @ApiKey routes and nothing on open routes', () => {
    const doc: Doc = fixtureDocument();
    expect(doc.paths['/things'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/things'].get.security).toBeUndefined();
    expect(doc.paths['/things/{thing_id}'].delete.security).toBeUndefined();
  });
});
