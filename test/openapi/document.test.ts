import { describe, expect, it, vi } from 'vitest';
import { DEV_DEFAULTS } from '../../examples/app/dev-env.ts';
import { createDemoApp } from '../../examples/app/index.ts';
import { SecureController, secureDemoControllers } from '../../examples/app/secure.ts';
import { silentLogger } from '../../src/index.ts';
import { sortKeys } from '../../src/openapi/sort.ts';
import { Thing } from '../fixtures/openapi-everything.ts';
import { type Doc, expectValidOpenApi, fixtureDocument } from './helpers.ts';

// the demo's development settings, as examples/app/app.ts applies them: every demo route is there
const env = { ...DEV_DEFAULTS, ENVIRONMENT: 'TEST' };
const SECURE_PATHS = ['/secure/key', '/secure/me', '/secure/patients/{patient_id}', '/secure/scoped'];

describe('app.openapi()', () => {
  it('gives the demo service a valid OpenAPI 3.1 document, its secured routes included', async () => {
    const app = createDemoApp({ env, testing: true });
    const doc: Doc = app.openapi();
    await expectValidOpenApi(doc);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Patients', version: '1.0.0', description: 'The fetch-batteries demo service' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/patients', '/patients/{patient_id}', '/hello', ...SECURE_PATHS]));
    // one path per route template: nothing the app serves is left out
    expect(Object.keys(doc.paths)).toHaveLength(new Set(app.definitions.map((d) => d.path)).size);
    expect(doc.paths['/secure/scoped'].get.security).toEqual([{ bearerAuth: ['read:patient'] }]);
    expect(doc.paths['/secure/key'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/patients/{patient_id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Patient',
    });
    expect(doc.components.schemas.NewPatient.required).toEqual(['first_name', 'last_name']);
    await app.close();
  });

  it('says on stderr when the demo leaves its /secure routes out of a process-env build', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('ACCEPTED_API_KEY', '');
    try {
      expect(secureDemoControllers({})).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('the /secure routes are left out'));
      warn.mockClear();
      // an env given in code (a test's) is never warned about
      expect(secureDemoControllers({ env: { ENVIRONMENT: 'TEST' } })).toEqual([]);
      expect(secureDemoControllers({ env })).toEqual([SecureController]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });

  it('stays valid with every battery route the app serves (testing: false)', async () => {
    const app = createDemoApp({ env, logger: silentLogger });
    const doc: Doc = app.openapi();
    await expectValidOpenApi(doc);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([...SECURE_PATHS, '/running', '/version', '/healthcheck']));
    expect(doc.paths['/running'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.tags).toEqual(['infra']);
    expect(doc.paths['/metrics']).toBeUndefined();
    await app.close();
  });

  it('gives a controller using every decorator a valid OpenAPI 3.1 document', async () => {
    await expectValidOpenApi(fixtureDocument());
    await expectValidOpenApi(fixtureDocument({ errorFormat: 'problem' }));
  });

  it('is checked by a validator that really rejects a broken document', async () => {
    const doc: Doc = fixtureDocument();
    doc.paths['/things'].get.responses = 'none';
    await expect(expectValidOpenApi(doc)).rejects.toThrow(/invalid OpenAPI document/);
  });

  it('turns path templates into {param} form with every path parameter required', () => {
    const doc: Doc = fixtureDocument();
    const relabel = doc.paths['/things/{thing_id}/labels/{label}'].patch;
    expect(relabel.parameters.filter((p: Doc) => p.in === 'path').map((p: Doc) => [p.name, p.required])).toEqual([
      ['thing_id', true],
      ['label', true],
    ]);
    expect(doc.paths['/things/{thing_id}'].get.parameters[0]).toEqual({
      in: 'path',
      name: 'thing_id',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    });
  });

  it('documents query and header parameters from the valibot schemas', () => {
    const list: Doc = fixtureDocument().paths['/things'].get;
    expect(list.parameters).toEqual([
      { in: 'query', name: 'page', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
      { in: 'query', name: 'q', required: true, schema: { type: 'string' } },
      { in: 'header', name: 'x-tenant', required: false, schema: { type: 'string' } },
    ]);
    const relabel: Doc = fixtureDocument().paths['/things/{thing_id}/labels/{label}'].patch;
    expect(relabel.parameters).toContainEqual({ in: 'query', name: 'dry_run', required: false, schema: { type: 'string' } });
  });

  it('documents the JSON request body, stopping at a transform instead of failing', () => {
    const create: Doc = fixtureDocument().paths['/things'].post;
    expect(create.requestBody.required).toBe(true);
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['name', 'label', 'checked']);
    expect(schema.properties.label).toEqual({ type: 'string' });
    expect(schema.properties.name).toEqual({ type: 'string', minLength: 1 });
  });

  it('documents @Returns and @Status, with dates and bigints as JSON carries them', () => {
    const doc: Doc = fixtureDocument();
    const created = doc.paths['/things'].post.responses['201'];
    expect(created.description).toBe('Created');
    const thing = created.content['application/json'].schema;
    expect(thing.properties.created).toEqual({ type: 'string', format: 'date-time' });
    expect(thing.properties.count).toEqual({ type: ['integer', 'string'] });
    expect(thing.properties.kind).toEqual({ type: 'string', enum: ['small', 'large'] });
    expect(doc.paths['/things/{thing_id}'].get.responses['404']).toEqual({ description: 'No such thing' });
    expect(doc.paths['/things/{thing_id}'].delete.responses['204']).toEqual({ description: 'No content (the handler returned nothing)' });
    expect(doc.paths['/things'].post.responses['200']).toBeUndefined();
  });

  it('lists the error responses each route can give', () => {
    const doc: Doc = fixtureDocument();
    const statuses = (method: string, path: string) => Object.keys(doc.paths[path][method].responses).sort();
    expect(statuses('get', '/things')).toEqual(['200', '422']);
    expect(statuses('post', '/things')).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '503']);
    expect(statuses('get', '/things/{thing_id}')).toEqual(['200', '400', '401', '403', '404', '422', '503']);
    expect(statuses('get', '/hello')).toEqual(['200', '204', '401', '403', '503']);
    expect(statuses('delete', '/things/{thing_id}')).toEqual(['200', '204', '400']);
    const post = doc.paths['/things'].post.responses;
    expect(post['401'].description).toContain('No API key supplied');
    expect(post['403'].description).toContain('Invalid API key supplied');
    expect(post['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ValidationError' });
    expect(post['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/things/{thing_id}'].get.responses['403'].description).toContain('Not enough permissions');
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.responses['403'].description).toContain('Forbidden');
    expect(doc.components.schemas.Error).toEqual({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
  });

  it('documents docs.schemas once in components.schemas and references them by $ref', async () => {
    const doc: Doc = fixtureDocument({ docs: { schemas: { Thing } } });
    await expectValidOpenApi(doc);
    expect(doc.components.schemas.Thing.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 50 });
    expect(doc.paths['/things'].get.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Thing' },
    });
    expect(doc.paths['/things'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });

  it('refuses a docs.schemas name that a built-in error schema uses', () => {
    expect(() => fixtureDocument({ docs: { schemas: { Error: Thing } } })).toThrow(/"Error" is the name of a built-in error schema/);
  });

  it('names problem+json error responses when errorFormat is "problem"', () => {
    const doc: Doc = fixtureDocument({ errorFormat: 'problem' });
    const responses = doc.paths['/things'].post.responses;
    expect(Object.keys(responses['415'].content)).toEqual(['application/problem+json']);
    expect(responses['422'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ValidationProblem' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
  });

  it('carries tags, deprecation, summary, description and operation ids', () => {
    const doc: Doc = fixtureDocument();
    const list = doc.paths['/things'].get;
    expect(list.tags).toEqual(['things']);
    expect(list.summary).toBe('List things');
    expect(list.description).toBe('Every thing, paged.');
    const remove = doc.paths['/things/{thing_id}'].delete;
    expect(remove.deprecated).toBe(true);
    expect(remove.description).toContain('DELETE /v2/things/:thing_id');
    expect(doc.paths['/things/{thing_id}/labels/{label}'].patch.operationId).toBe('relabelThing');
    expect(list.operationId).toBe('ThingController_list');
    expect(doc.paths['/things-count'].get.operationId).toBe('HelloController_list');
    expect(doc.tags).toEqual([{ name: 'things' }]);
  });

  it('gives every operation a unique operation id', () => {
    const doc: Doc = fixtureDocument({}, [
      { method: 'GET', path: '/running', infra: true },
      { method: 'GET', path: '/version', infra: true },
    ]);
    const ids = Object.values(doc.paths).flatMap((item: Doc) => Object.values(item).map((op: Doc) => op.operationId));
    expect(ids.length).toBeGreaterThan(8);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tags monitoring routes "infra" and hides /metrics and the docs routes', async () => {
    const doc: Doc = fixtureDocument({}, [
      { method: 'GET', path: '/running', infra: true },
      { method: 'GET', path: '/version', infra: true },
      { method: 'GET', path: '/healthcheck', infra: true },
      { method: 'GET', path: '/metrics', infra: true },
      { method: 'GET', path: '/openapi.json', infra: true },
      { method: 'GET', path: '/docs', infra: true },
      { method: 'GET', path: '/docs/init.js', infra: true },
    ]);
    await expectValidOpenApi(doc);
    expect(doc.paths['/running'].get.tags).toEqual(['infra']);
    expect(doc.paths['/version'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.tags).toEqual(['infra']);
    expect(doc.paths['/healthcheck'].get.responses['503']).toBeDefined();
    expect(doc.paths['/running'].get.responses['200'].content['application/json'].schema.properties.running.type).toBe('boolean');
    for (const hidden of ['/metrics', '/openapi.json', '/docs', '/docs/init.js']) expect(doc.paths[hidden]).toBeUndefined();
    expect(doc.tags).toContainEqual({ name: 'infra', description: 'Monitoring endpoints' });
  });
});

describe('sortKeys', () => {
  it('sorts nested keys, keeps array order, and keeps a key named __proto__ as data', () => {
    const sorted = sortKeys(JSON.parse('{"b":{"z":1,"a":[3,1,2]},"__proto__":{"x":1},"a":0}'));
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"x":1},"a":0,"b":{"a":[3,1,2],"z":1}}');
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
  });
});
