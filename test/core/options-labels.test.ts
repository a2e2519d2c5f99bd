import { describe, expect, it } from 'vitest';
import { Controller, Get, Param, Post } from '../../src/index.ts';
import { get, type memoryLogger, obsApp } from '../observability/helpers.ts';

@Controller('/patients')
class PatientController {
  @Get('/:patient_id')
  one(@Param('patient_id') id: string) {
    return { id };
  }
  @Post('/')
  add() {
    return { added: true };
  }
}

/** The request log lines (those with httpRequest fields). */
const requestLines = (logger: ReturnType<typeof memoryLogger>) => logger.lines.filter((l) => l.fields?.httpRequest !== undefined);

async function metricsText(app: { fetch(r: Request): Promise<Response> }): Promise<string> {
  return (await app.fetch(get('/metrics'))).text();
}

describe('OPTIONS and 405 on the monitoring routes', () => {
  it('answer as before, and are left out of the request log and of metrics like the probes themselves', async () => {
    const { app, logger } = obsApp([PatientController]);
    for (const path of ['/running', '/version', '/healthcheck', '/metrics']) {
      const options = await app.fetch(get(path, { method: 'OPTIONS' }));
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect((await app.fetch(get(path, { method: 'POST' }))).status).toBe(405);
    }
    expect(requestLines(logger)).toEqual([]);
    const text = await metricsText(app);
    expect(text).not.toContain('http_requests_total{');
  });
});

describe('OPTIONS and 405 on a user route', () => {
  it('are counted under the route template, not <unmatched>', async () => {
    const { app } = obsApp([PatientController]);
    expect((await app.fetch(get('/patients/7', { method: 'OPTIONS' }))).status).toBe(204);
    expect((await app.fetch(get('/patients/7', { method: 'DELETE' }))).status).toBe(405);
    expect((await app.fetch(get('/patients', { method: 'PUT' }))).status).toBe(405);
    expect((await app.fetch(get('/nowhere', { method: 'OPTIONS' }))).status).toBe(404);
    const text = await metricsText(app);
    expect(text).toContain('http_requests_total{method="OPTIONS",route="/patients/:patient_id",status="204"} 1');
    expect(text).toContain('http_requests_total{method="DELETE",route="/patients/:patient_id",status="405"} 1');
    expect(text).toContain('http_requests_total{method="PUT",route="/patients",status="405"} 1');
    expect(text).toContain('http_requests_total{method="OPTIONS",route="<unmatched>",status="404"} 1');
    expect(text).not.toContain('route="<unmatched>",status="405"');
    expect(text).not.toContain('route="<unmatched>",status="204"');
  });

  it('each write one request log line with its status', async () => {
    const { app, logger } = obsApp([PatientController]);
    await app.fetch(get('/patients/7', { method: 'OPTIONS' }));
    await app.fetch(get('/patients/7', { method: 'DELETE' }));
    const statuses = requestLines(logger).map((l) => [l.message, (l.fields?.httpRequest as { status: number } | undefined)?.status]);
    expect(statuses).toEqual([
      ['OPTIONS "http://svc.test/patients/7" 204', 204],
      ['DELETE "http://svc.test/patients/7" 405', 405],
    ]);
  });
});
