import { afterAll, describe, expect, it } from 'vitest';
import {
  Body,
  ClientClosedError,
  Controller,
  createApp,
  type Database,
  Db,
  Get,
  type Logger,
  Post,
  silentLogger,
  sql,
} from '../../src/index.ts';

/** A logger that keeps every line (severity and message) for the assertions. */
function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (severity: string) => (message: string) => void lines.push(`${severity} ${message}`);
  return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR'), flush: () => void lines.push('FLUSH') };
}

@Controller('/')
class NotesController {
  @Get('/notes')
  async list(@Db() db: Database) {
    return (await db.query(sql`select count(*)::int as n from note`)).rows[0];
  }

  @Post('/notes')
  add(@Body() body: unknown) {
    return { got: body };
  }
}

const migrations = [{ id: '001-note', sql: 'create table note (id serial primary key)' }];

describe('app.ready()', () => {
  it('opens the database and applies migrations before any request, once for concurrent callers', async () => {
    const logger = capture();
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, logger, controllers: [NotesController], database: { migrations } });
    try {
      await Promise.all([app.ready(), app.ready()]);
      expect(logger.lines.filter((l) => l.includes('migrations applied'))).toHaveLength(1);
      // the warm-up's lines are written out before ready() resolves (before a server says "listening")
      expect(logger.lines.indexOf('FLUSH')).toBeGreaterThan(logger.lines.findIndex((l) => l.includes('migrations applied')));
      // the first request finds everything open: the health check opens and migrates nothing
      const before = [...logger.lines];
      const health = await app.fetch(new Request('http://x/healthcheck'));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
      expect(logger.lines).toEqual(before);
      expect(await (await app.fetch(new Request('http://x/notes'))).json()).toEqual({ n: 0 });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('resolves after close() without opening anything', async () => {
    const logger = capture();
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, logger, controllers: [NotesController], database: { migrations } });
    await app.close();
    await app.ready();
    // nothing opened, nothing logged (close() itself flushes the logger)
    expect(logger.lines.filter((l) => l !== 'FLUSH')).toEqual([]);
  });
});

describe('a client that goes away mid-body', () => {
  const app = createApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger, controllers: [NotesController], database: { migrations } });
  afterAll(() => app.close());
  const failing = (error: unknown) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a"'));
        controller.error(error);
      },
    });
  const post = (body: ReadableStream<Uint8Array>, signal?: AbortSignal) =>
    new Request('http://x/notes', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
      signal,
    } as RequestInit);

  it.each([
    ['Bun', new DOMException('The connection was closed.', 'AbortError')],
    ['Node', Object.assign(new Error('aborted'), { code: 'ECONNRESET' })],
    ['Deno', Object.assign(new Error('Cannot read body as underlying resource unavailable'), { name: 'BadResource' })],
    ['workerd', new Error('Network connection lost.')],
  ])('answers 400 CLIENT_CLOSED_REQUEST for the %s error, counted as 499 in /metrics, with no ERROR line', async (_runtime, error) => {
    const logger = capture();
    const local = createApp({ env: { ENVIRONMENT: 'TEST' }, logger, controllers: [NotesController], database: { migrations } });
    try {
      const res = await local.fetch(post(failing(error)));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: new ClientClosedError().message });
      const metrics = await (await local.fetch(new Request('http://x/metrics'))).text();
      expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/notes",status="499"\} 1/);
      expect(metrics).not.toMatch(/status="5\d\d"/);
      expect(logger.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
      expect(logger.lines).toContain('INFO POST "http://x/notes" 499');
    } finally {
      await local.close();
    }
  });

  it('still counts 499 when an onError handler renders the error', async () => {
    const local = createApp({
      env: { ENVIRONMENT: 'TEST' },
      logger: silentLogger,
      controllers: [NotesController],
      database: { migrations },
    });
    local.onError(ClientClosedError, () => new Response(null, { status: 400 }));
    try {
      const res = await local.fetch(post(failing(new DOMException('The connection was closed.', 'AbortError'))));
      expect(res.status).toBe(400);
      const metrics = await (await local.fetch(new Request('http://x/metrics'))).text();
      expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/notes",status="499"\} 1/);
    } finally {
      await local.close();
    }
  });

  it('recognises an aborted request signal whatever the error says', async () => {
    const controller = new AbortController();
    controller.abort();
    const res = await app.fetch(post(failing(new TypeError('something odd')), controller.signal));
    expect(res.status).toBe(400);
  });

  it('still answers 500 for a body stream failing for another reason while the client is there', async () => {
    const res = await app.fetch(post(failing(new TypeError('a bug in a body transform'))));
    expect(res.status).toBe(500);
  });
});
