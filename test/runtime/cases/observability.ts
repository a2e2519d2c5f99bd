import { expect, it } from 'vitest';
import type { TargetRef } from '../case.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The observability battery (monitoring routes, metrics, headers) as any client sees it, on every runtime. */
export default function observabilityCases(target: TargetRef): void {
  it('keeps a well-formed X-Request-ID', async () => {
    const res = await target().fetch('/hello', { headers: { 'x-request-id': 'trace-3f0c7a4e.1' } });
    expect(res.headers.get('x-request-id')).toBe('trace-3f0c7a4e.1');
  });

  it('replaces a malformed or oversized X-Request-ID with a new UUID', async () => {
    for (const bad of ['not ok "quoted"', 'x'.repeat(256)]) {
      const res = await target().fetch('/hello', { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('sends X-Request-ID, Server-Timing and no-cache headers on successes and errors (404, 405, OPTIONS, 413)', async () => {
    const requests: [string, RequestInit?][] = [
      ['/hello'],
      ['/no-such-route'],
      ['/hello', { method: 'DELETE' }],
      ['/hello', { method: 'OPTIONS' }],
      [
        '/patients',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ first_name: 'x'.repeat(5000) }) },
      ],
    ];
    for (const [path, init] of requests) {
      const res = await target().fetch(path, init);
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      expect(res.headers.get('server-timing')).toMatch(/^total;dur=\d/);
      expect(res.headers.get('cache-control')).toBe('no-cache, must-revalidate');
      expect(res.headers.get('pragma')).toBe('no-cache');
      expect(res.headers.get('expires')).toBe('0');
      await res.body?.cancel();
    }
  });

  it('marks a @Deprecated route with Deprecation and a successor Link', async () => {
    const res = await target().fetch('/greeting');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe(`@${Date.parse('2026-01-01T00:00:00Z') / 1000}`);
    expect(res.headers.get('link')).toBe('</hello>; rel="successor-version"');
    expect(res.headers.get('x-request-id')).toMatch(UUID);
    await res.body?.cancel();
  });

  it('answers /running and /version', async () => {
    const running = await target().fetch('/running');
    expect(running.status).toBe(200);
    expect(await running.json()).toEqual({ running: true });
    const version = (await (await target().fetch('/version')).json()) as Record<string, unknown>;
    expect(Object.keys(version).sort()).toEqual(['circle', 'hash']);
  });

  it('serves /metrics as Prometheus text 0.0.4 counting requests by route template', async () => {
    await (await target().fetch('/hello')).text();
    const res = await target().fetch('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/hello",status="200"\} [1-9]\d*$/m);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });
}
