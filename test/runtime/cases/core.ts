import { expect, it } from 'vitest';
import { JSON_HEADERS, type TargetRef } from '../case.ts';

/** The HTTP contract of the core (routing, statuses, headers, bodies, errors), as any client sees it. */
export default function coreCases(target: TargetRef): void {
  const post = (path: string, body: string, headers: Record<string, string> = JSON_HEADERS) =>
    target().fetch(path, { method: 'POST', body, headers });

  it('answers a plain JSON route', async () => {
    const res = await target().fetch('/hello');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ message: 'Hello, world' });
  });

  it('creates a patient (201) and reads it back (200)', async () => {
    const created = await post('/patients', JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace' }));
    expect(created.status).toBe(201);
    const patient = (await created.json()) as { uuid: string; first_name: string };
    expect(patient).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    const read = await target().fetch(`/patients/${patient.uuid}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ uuid: patient.uuid, first_name: 'Ada' });
  });

  it('answers 404 with a message for an unknown patient', async () => {
    const res = await target().fetch('/patients/3f0c7a4e-1d2b-4c5d-9e8f-0a1b2c3d4e5f');
    expect(res.status).toBe(404);
    expect(await res.json()).toHaveProperty('message');
  });

  it('answers 422 with issues when the body fails the schema', async () => {
    const res = await post('/patients', JSON.stringify({ first_name: '', nhs_number: '12' }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { message: string; issues: { path: unknown; message: string }[] };
    expect(body.issues.length).toBeGreaterThan(0);
    for (const issue of body.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    expect(body.issues.map((i) => JSON.stringify(i.path)).join(' ')).toContain('first_name');
  });

  it('answers 400 with a fixed message for malformed JSON', async () => {
    const res = await post('/patients', '{"first_name": "Ada",');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).not.toContain('first_name');
  });

  it('answers 415 when the body is not JSON', async () => {
    const res = await post('/patients', 'first_name=Ada', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('answers 413 for a body over MAX_BODY_BYTES', async () => {
    const res = await post('/patients', JSON.stringify({ first_name: 'A'.repeat(8000), last_name: 'B' }));
    expect(res.status).toBe(413);
  });

  it('answers 413 for a streamed (chunked) body over MAX_BODY_BYTES', async () => {
    const chunk = new TextEncoder().encode(`{"first_name":"${'A'.repeat(3000)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await target().fetch('/patients', { method: 'POST', body, headers: JSON_HEADERS, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('answers 404 for an unknown route', async () => {
    const res = await target().fetch('/no-such-route');
    expect(res.status).toBe(404);
    expect(await res.json()).toHaveProperty('message');
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await target().fetch('/patients', { method: 'PUT', body: '{}', headers: JSON_HEADERS });
    expect(res.status).toBe(405);
    const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
    expect(allow).toEqual(expect.arrayContaining(['GET', 'POST']));
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await target().fetch('/hello', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it("HEAD's Content-Length is GET's body length (Bun and Deno sent 0 for the empty body)", async () => {
    const get = await target().fetch('/hello');
    const bytes = new TextEncoder().encode(await get.text()).length;
    const head = await target().fetch('/hello', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(bytes));
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await target().fetch('/hello', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('answers 400 for bad percent-encoding in a path parameter', async () => {
    const res = await target().fetch('/patients/%E0%A4%A');
    expect(res.status).toBe(400);
  });

  it('answers 414 for an over-long path', async () => {
    const res = await target().fetch(`/patients/${'a'.repeat(5000)}`);
    expect(res.status).toBe(414);
  });

  it('sends X-Request-ID, and keeps a well-formed incoming one', async () => {
    const fresh = await target().fetch('/hello');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const id = '0d8f6c9e-8a7b-4c3d-9e2f-1a2b3c4d5e6f';
    const kept = await target().fetch('/hello', { headers: { 'x-request-id': id } });
    expect(kept.headers.get('x-request-id')).toBe(id);
  });
}
