import { describe, expect, it } from 'vitest';
import { Controller, consoleJsonLogger, Get, type HttpRequestFields, type Logger, MetricsRegistry, pinoLogger } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController, requestLines } from './request-log-app.ts';

describe('request log', () => {
  it('writes one line per request with the httpRequest fields and the request id', async () => {
    const { app, logger } = obsApp([LogController]);
    const res = await app.fetch(
      get('/p/7?page=2', { headers: { 'user-agent': 'probe/1.0', 'x-request-id': 'req-123', 'cf-connecting-ip': '203.0.113.9' } }),
    );
    expect(res.status).toBe(200);
    const lines = requestLines(logger.lines);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line.level).toBe('info');
    expect(line.message).toBe('GET "http://svc.test/p/7?page=2" 200');
    expect(line.fields?.requestId).toBe('req-123');
    const http = line.fields?.httpRequest as HttpRequestFields;
    expect(http).toMatchObject({
      requestMethod: 'GET',
      requestUrl: 'http://svc.test/p/7?page=2',
      status: 200,
      userAgent: 'probe/1.0',
      remoteIp: '203.0.113.9',
    });
    expect(http.latency).toMatch(/^\d+\.\d{6}s$/);
  });

  it("counts writing the body in the latency: the log line's and the duration histogram's", async () => {
    // a value whose serialisation takes at least 5 ms by the clock, whatever the machine's speed
    const slowToWrite = {
      toJSON() {
        const until = performance.now() + 5;
        while (performance.now() < until) {
          // spin: JSON.stringify is synchronous, so this is time spent writing the body
        }
        return { written: true };
      },
    };
    @Controller('/slow')
    class Slow {
      @Get('/')
      get() {
        return slowToWrite;
      }
    }
    const registry = new MetricsRegistry();
    const { app, logger } = obsApp([Slow], { metrics: { registry } });
    const res = await app.fetch(get('/slow'));
    expect(await res.json()).toEqual({ written: true });
    const [line] = requestLines(logger.lines);
    const latency = (line.fields?.httpRequest as HttpRequestFields | undefined)?.latency ?? '';
    const seconds = Number.parseFloat(latency.replace('s', ''));
    expect(seconds).toBeGreaterThanOrEqual(0.005);
    const scrape = await registry.scrape();
    const sum = scrape.split('\n').find((l) => l.startsWith('http_request_duration_seconds_sum{') && l.includes('"/slow"'));
    expect(Number(sum?.split(' ').pop())).toBeGreaterThanOrEqual(0.005);
  });

  it('reports responseSize in bytes for the responses we build, also for non-ASCII JSON', async () => {
    @Controller('/size')
    class Sizes {
      @Get('/ascii')
      ascii() {
        return { ok: true };
      }
      @Get('/utf8')
      utf8() {
        return { name: 'Zoë 😀' };
      }
      @Get('/none')
      none() {}
    }
    const { app, logger } = obsApp([Sizes]);
    for (const path of ['/size/ascii', '/size/utf8', '/size/none']) {
      const res = await app.fetch(get(path));
      const bytes = (await res.arrayBuffer()).byteLength;
      const http = requestLines(logger.lines).at(-1)?.fields?.httpRequest as HttpRequestFields;
      expect(http.responseSize, path).toBe(bytes);
    }
    expect((requestLines(logger.lines)[1].fields as { httpRequest: HttpRequestFields }).httpRequest.responseSize).toBe(20);
  });

  it('reports responseSize from Content-Length', async () => {
    @Controller('/sized')
    class Sized {
      @Get('/')
      get() {
        return new Response('12345', { headers: { 'content-length': '5' } });
      }
    }
    const { app, logger } = obsApp([Sized]);
    await app.fetch(get('/sized'));
    expect(requestLines(logger.lines)[0].fields).toMatchObject({ httpRequest: { responseSize: 5 } });
  });

  it('logs 5xx at warn and leaves monitoring routes out', async () => {
    const { app, logger } = obsApp([LogController]);
    await app.fetch(get('/p'));
    for (const path of ['/running', '/version', '/healthcheck', '/metrics']) await app.fetch(get(path));
    const lines = requestLines(logger.lines);
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'GET "http://svc.test/p" 500']]);
  });

  it('keeps quotes and newlines inside one JSON line', async () => {
    const sink: string[] = [];
    const { app } = obsApp([LogController], { logger: consoleJsonLogger('info', (l) => sink.push(l)) });
    await app.fetch(get('/p/%22%0A%7B?q=%22%0d%0a}', { headers: { 'user-agent': 'evil "agent"\t{"severity":"ERROR"}' } }));
    expect(sink).toHaveLength(1);
    expect(sink[0]).not.toMatch(/[\r\n]/);
    const parsed = JSON.parse(sink[0]);
    expect(parsed.severity).toBe('INFO');
    expect(parsed.httpRequest.userAgent).toBe('evil "agent"\t{"severity":"ERROR"}');
  });

  it('follows LOG_LEVEL with the default console logger, whose lines reach standard output by app.close()', async () => {
    const sink: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      sink.push(...chunk.split('\n').filter((l) => l.startsWith('{')));
      return true;
    }) as typeof process.stdout.write;
    try {
      const quiet = obsApp([LogController], { logger: undefined, env: { ENVIRONMENT: 'TEST', LOG_LEVEL: 'WARNING' } }).app;
      await quiet.fetch(get('/p/1'));
      await quiet.fetch(get('/p'));
      const loud = obsApp([LogController], { logger: undefined, env: { ENVIRONMENT: 'TEST', LOG_LEVEL: 'INFO' } }).app;
      await loud.fetch(get('/p/1'));
      await quiet.close();
      await loud.close();
    } finally {
      process.stdout.write = original;
    }
    const messages = sink
      .map((l) => JSON.parse(l))
      .filter((l) => l.httpRequest)
      .map((l) => `${l.severity} ${l.message}`);
    expect(messages).toEqual(['WARN GET "http://svc.test/p" 500', 'INFO GET "http://svc.test/p/1" 200']);
  });

  it('sends the line through info/warn overridden on a copy of the console logger, not around them', async () => {
    const sink: string[] = [];
    const mine: [string, string, Record<string, unknown> | undefined][] = [];
    const logger: Logger = {
      ...consoleJsonLogger('info', (l) => sink.push(l)),
      info: (m, f) => mine.push(['info', m, f]),
      warn: (m, f) => mine.push(['warn', m, f]),
    };
    const { app } = obsApp([LogController], { logger });
    await app.fetch(get('/p/1', { headers: { 'x-request-id': 'req-9' } }));
    await app.fetch(get('/p'));
    // the 500's "Error kaboom" line still goes through the console logger's own error
    expect(sink.map((l) => JSON.parse(l).message)).toEqual(['Error kaboom']);
    expect(mine.map(([level, message, fields]) => [level, message, fields?.requestId])).toEqual([
      ['info', 'GET "http://svc.test/p/1" 200', 'req-9'],
      ['warn', 'GET "http://svc.test/p" 500', expect.any(String)],
    ]);
  });

  it('sends the line through info replaced on the console logger itself', async () => {
    const sink: string[] = [];
    const mine: string[] = [];
    const logger = consoleJsonLogger('info', (l) => sink.push(l));
    logger.info = (message) => mine.push(message);
    const { app } = obsApp([LogController], { logger });
    await app.fetch(get('/p/1'));
    expect(mine).toEqual(['GET "http://svc.test/p/1" 200']);
    expect(sink).toEqual([]);
  });

  it('can be turned off with monitoring: { requestLog: false }', async () => {
    const { app, logger } = obsApp([LogController], { monitoring: { requestLog: false } });
    await app.fetch(get('/p/1'));
    expect(requestLines(logger.lines)).toHaveLength(0);
  });

  it('drops into pino through pinoLogger (fields first, message second)', async () => {
    const calls: [string, object, string | undefined][] = [];
    const pinoLike = {
      level: 'info',
      debug: (o: object, m?: string) => calls.push(['debug', o, m]),
      info: (o: object, m?: string) => calls.push(['info', o, m]),
      warn: (o: object, m?: string) => calls.push(['warn', o, m]),
      error: (o: object, m?: string) => calls.push(['error', o, m]),
      isLevelEnabled(level: string) {
        return ['info', 'warn', 'error'].includes(level);
      },
    };
    const { app } = obsApp([LogController], { logger: pinoLogger(pinoLike) });
    await app.fetch(get('/p/1'));
    expect(calls).toHaveLength(1);
    const [level, fields, message] = calls[0];
    expect(level).toBe('info');
    expect(fields).toMatchObject({ httpRequest: { status: 200 } });
    expect(message).toBe('GET "http://svc.test/p/1" 200');
    expect(fields).not.toHaveProperty('requestHeaders');
  });
});
