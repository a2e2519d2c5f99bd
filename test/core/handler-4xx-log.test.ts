import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  Body,
  Controller,
  createApp,
  DuplicateResourceError,
  EntityNotFoundError,
  ForbiddenError,
  Get,
  HttpError,
  Post,
} from '../../src/index.ts';

// The Python package logged each error its handlers caught with the error's text (catch_bad_request
// and catch_duplicate_resource_error at warning, catch_not_found and the others at info), without a
// traceback for a caller's mistake. A port keeps those lines: a 4xx the handler throws is logged.
type Line = [level: string, message: string, fields: Record<string, unknown> | undefined];

function appWith(lines: Line[]) {
  const logger = {
    debug: (m: string, f?: Record<string, unknown>) => lines.push(['debug', m, f]),
    info: (m: string, f?: Record<string, unknown>) => lines.push(['info', m, f]),
    warn: (m: string, f?: Record<string, unknown>) => lines.push(['warn', m, f]),
    error: (m: string, f?: Record<string, unknown>) => lines.push(['error', m, f]),
  };
  @Controller('/')
  class Patients {
    @Get('/bad')
    bad() {
      throw new BadRequestError('patient uuid invalid');
    }
    @Get('/dup')
    dup() {
      throw new DuplicateResourceError('patient already exists');
    }
    @Get('/missing')
    async missing() {
      throw new EntityNotFoundError('no patient 42');
    }
    @Get('/forbidden')
    forbidden() {
      throw new ForbiddenError();
    }
    @Get('/teapot')
    teapot() {
      throw new HttpError(418, "I'm a teapot", 'TEAPOT');
    }
    @Post('/patients', Body(v.object({ name: v.string() })))
    create(body: { name: string }) {
      return body;
    }
  }
  return createApp({
    env: { ENVIRONMENT: 'DEVELOPMENT' },
    testing: true,
    logger,
    monitoring: { requestLog: false },
    controllers: [Patients],
  });
}

describe('a 4xx thrown by a handler is logged with its reason, at the Python level, without a stack', () => {
  it('400 and 409 at warn, 404, 403 and the rest at info, each with the request id and no stack', async () => {
    const lines: Line[] = [];
    const app = appWith(lines);
    const statuses: number[] = [];
    for (const path of ['/bad', '/dup', '/missing', '/forbidden', '/teapot']) {
      statuses.push((await app.fetch(new Request(`http://h${path}`, { headers: { 'x-request-id': `id-${path.slice(1)}` } }))).status);
    }
    expect(statuses).toEqual([400, 409, 404, 403, 418]);
    expect(lines.map(([level, message]) => [level, message])).toEqual([
      ['warn', 'patient uuid invalid'],
      ['warn', 'patient already exists'],
      ['info', 'no patient 42'],
      ['info', 'Forbidden'],
      ['info', "I'm a teapot"],
    ]);
    expect(lines[0][2]).toMatchObject({ requestId: 'id-bad', status: 400, error: 'BadRequestError' });
    for (const [, , fields] of lines) expect(fields).not.toHaveProperty('stack');
  });

  it("the framework's own 4xx (no such route, malformed body, failed validation) add no line", async () => {
    const lines: Line[] = [];
    const app = appWith(lines);
    const post = (body: string) =>
      new Request('http://h/patients', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const statuses = [
      (await app.fetch(new Request('http://h/nowhere'))).status,
      (await app.fetch(post('{not json'))).status,
      (await app.fetch(post('{"name":1}'))).status,
    ];
    expect(statuses).toEqual([404, 400, 422]);
    expect(lines).toEqual([]);
  });
});
