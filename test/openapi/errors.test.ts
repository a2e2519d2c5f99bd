// The error responses the document lists are the ones the app really gives: each test makes the
// app fail for real and looks for the message it answered in the documented description.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Body, Controller, createApp, type Database, Db, Get, Param, Post, Scopes, silentLogger, sql } from '../../src/index.ts';
import { createProviderKeys, mintProviderToken, type ProviderKeys } from '../../src/testing/index.ts';
import { type JwksServer, startJwksServer } from '../../src/testing/node.ts';
import type { Doc } from './helpers.ts';

const json = { 'content-type': 'application/json' };

async function message(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

function description(doc: Doc, path: string, method: string, status: number): string {
  return doc.paths[path][method].responses[String(status)].description;
}

describe('documented request errors', () => {
  @Controller('/echo')
  class Echo {
    @Post('/:id')
    echo(@Param('id') id: string, @Body() body: unknown) {
      return { id, body };
    }
  }
  const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, logger: silentLogger, controllers: [Echo] });
  const doc = app.openapi() as Doc;
  const post = (path: string, body: BodyInit, headers: Record<string, string> = json) =>
    app.fetch(new Request(`http://t.local${path}`, { method: 'POST', headers, body }));

  it.each([
    ['malformed JSON', '{"a":'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['JSON nested too deeply', `${'['.repeat(200)}${']'.repeat(200)}`],
  ])('a 400 for %s carries a message the 400 description lists', async (_name, body) => {
    const response = await post('/echo/1', body);
    expect(response.status).toBe(400);
    expect(description(doc, '/echo/{id}', 'post', 400)).toContain(await message(response));
  });

  it('a 400 for a malformed percent-encoding in the path carries a message the 400 description lists', async () => {
    const response = await post('/echo/%E0%A4%A', '{}');
    expect(response.status).toBe(400);
    expect(description(doc, '/echo/{id}', 'post', 400)).toContain(await message(response));
  });

  it('a 415 for a body that is not JSON carries the documented message', async () => {
    const response = await post('/echo/1', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(description(doc, '/echo/{id}', 'post', 415)).toContain(await message(response));
  });
});

describe('documented database errors', () => {
  @Controller('/items')
  class Items {
    @Post('/')
    async create(@Body() body: { k: string; v: string | null }, @Db() db: Database) {
      await db.query(sql`insert into item (k, v) values (${body.k}, ${body.v})`);
      return { ok: true };
    }
  }
  const migrations = [{ id: '001-item', sql: 'create table item (k text primary key, v text not null)' }];
  const app = createApp({
    env: { ENVIRONMENT: 'TEST' },
    testing: true,
    logger: silentLogger,
    controllers: [Items],
    database: { migrations },
  });
  afterAll(() => app.close());
  const doc = app.openapi() as Doc;
  const post = (body: unknown) =>
    app.fetch(new Request('http://t.local/items', { method: 'POST', headers: json, body: JSON.stringify(body) }));

  it('documents the 409 a unique violation answers, and the 400 a not-null violation answers', async () => {
    expect((await post({ k: 'a', v: 'x' })).status).toBe(200);
    const duplicate = await post({ k: 'a', v: 'y' });
    expect(duplicate.status).toBe(409);
    expect(description(doc, '/items', 'post', 409)).toContain(await message(duplicate));
    const missing = await post({ k: 'b', v: null });
    expect(missing.status).toBe(400);
    expect(description(doc, '/items', 'post', 400)).toContain(await message(missing));
    expect(description(doc, '/items', 'post', 503)).toContain('Database connection failed');
  }, 30_000);
});

describe('documented key-set errors', () => {
  let server: JwksServer;
  let keys: ProviderKeys;
  beforeAll(async () => {
    keys = await createProviderKeys('RS256');
    server = await startJwksServer(keys.jwks);
  });
  afterAll(() => server.close());

  it('documents the 503 a bearer route answers when the key-set endpoint fails', async () => {
    @Controller('/scoped')
    class Scoped {
      @Get('/')
      @Scopes('read:x')
      get() {
        return { ok: true };
      }
    }
    const env = {
      ENVIRONMENT: 'TEST',
      AUTH_PROVIDER_DOMAIN: server.url,
      AUTH_PROVIDER_AUDIENCE: 'api',
      AUTH_PROVIDER_JWKS_URL: server.jwksUrl,
      JWKS_TIMEOUT_MS: '300',
    };
    const app = createApp({ env, testing: true, logger: silentLogger, controllers: [Scoped] });
    server.mode = 'error';
    const token = await mintProviderToken(keys, { issuer: server.url, audience: 'api', scopes: ['read:x'] });
    const response = await app.fetch(new Request('http://t.local/scoped', { headers: { authorization: `Bearer ${token}` } }));
    expect(response.status).toBe(503);
    expect(description(app.openapi() as Doc, '/scoped', 'get', 503)).toContain(await message(response));
  });
});
