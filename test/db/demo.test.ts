import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/app/index.ts';
import { type Database, silentLogger } from '../../src/index.ts';

// The demo service on its default database: PGlite in memory, tables created on first use.
const app = createDemoApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger });
// PGlite takes seconds to start: pay it once, outside the tests
beforeAll(() => (app.db as Database).ping(), 60_000);
afterAll(() => app.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await app.fetch(
    new Request(`http://demo${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('the demo patients API on PGlite', () => {
  it('creates, reads, lists and deletes patients in the patient table', async () => {
    const ada = await call('POST', '/patients', { first_name: 'Ada', last_name: 'Lovelace', nhs_number: '1234567890' });
    expect(ada.status).toBe(201);
    expect(Object.keys(ada.json).sort()).toEqual(['created', 'first_name', 'last_name', 'nhs_number', 'uuid']);
    expect(new Date(ada.json.created).toISOString()).toBe(ada.json.created);
    const alan = await call('POST', '/patients', { first_name: 'Alan', last_name: 'Turing' });
    expect(alan.json).not.toHaveProperty('nhs_number');

    expect((await call('GET', `/patients/${ada.json.uuid}`)).json).toEqual(ada.json);
    const list = await call('GET', '/patients?limit=10');
    expect(list.json.map((p: { first_name: string }) => p.first_name)).toEqual(['Alan', 'Ada']);
    expect((await call('GET', '/patients?limit=1')).json).toHaveLength(1);

    expect((await call('DELETE', `/patients/${ada.json.uuid}`)).status).toBe(204);
    expect(await call('GET', `/patients/${ada.json.uuid}`)).toEqual({
      status: 404,
      json: { message: `Patient ${ada.json.uuid} not found` },
    });
    expect((await call('DELETE', `/patients/${ada.json.uuid}`)).status).toBe(404);
  }, 30_000);

  it('answers 422 for a malformed id before the database sees it', async () => {
    expect((await call('GET', '/patients/not-a-uuid')).status).toBe(422);
  });
});
