import { expect, it } from 'vitest';
import { JSON_HEADERS, type TargetRef } from '../case.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: { in: string; name: string; required?: boolean; schema?: { format?: string } }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/**
 * What the demo's decorators do, as a client sees it: the same answers whether the demo was
 * compiled with standard decorators (parameters listed in the route decorators) or legacy ones
 * (parameter decorators). Path, query and body schemas, @Status, @Deprecated, @Returns and @Tags.
 */
export default function decoratorCases(target: TargetRef): void {
  it('validates a path parameter with its schema (422 naming the parameter)', async () => {
    const res = await target().fetch('/patients/not-a-uuid');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { issues: { path: unknown[]; message: string }[] };
    expect(body.issues).toEqual([{ path: ['path', 'patient_id'], message: 'must be a UUID' }]);
  });

  it('validates and transforms the query object with its schema', async () => {
    const bad = await target().fetch('/patients?limit=many');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('must be a whole number');
    await target().fetch('/patients', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ first_name: 'Q', last_name: 'Limit' }),
    });
    const one = await target().fetch('/patients?limit=1');
    expect(one.status).toBe(200);
    expect(((await one.json()) as unknown[]).length).toBe(1);
  });

  it('creates with @Status(201), deletes with 204, then answers 404', async () => {
    const created = await target().fetch('/patients', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ first_name: 'Grace', last_name: 'Hopper', nhs_number: '1234567890' }),
    });
    expect(created.status).toBe(201);
    const { uuid } = (await created.json()) as { uuid: string };
    const removed = await target().fetch(`/patients/${uuid}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await target().fetch(`/patients/${uuid}`)).status).toBe(404);
  });

  it('marks a @Deprecated route with Deprecation and a successor Link', async () => {
    const res = await target().fetch('/greeting');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe('@1767225600');
    expect(res.headers.get('link')).toBe('</hello>; rel="successor-version"');
  });

  it('documents the parameters, statuses and tags the decorators declare', async () => {
    const res = await target().fetch('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
    const get = doc.paths['/patients/{patient_id}'].get;
    expect(get.operationId).toBe('PatientController_get');
    expect(get.tags).toEqual(['patients']);
    expect(get.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'patient_id', required: true })]);
    expect(get.parameters?.[0].schema?.format).toBe('uuid');
    expect(Object.keys(get.responses)).toContain('200');
    const list = doc.paths['/patients'].get;
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:limit']);
    const create = doc.paths['/patients'].post;
    expect(create.requestBody).toBeDefined();
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '422']));
    expect(doc.paths['/greeting'].get.deprecated).toBe(true);
    expect(doc.paths['/secure/patients/{patient_id}'].get.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'patient_id' }),
    ]);
  });
}
