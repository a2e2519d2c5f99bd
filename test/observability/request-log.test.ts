import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultBatteries } from '../../src/app/batteries.ts';
import {
  type Battery,
  Controller,
  consoleJsonLogger,
  Get,
  type HttpRequestFields,
  type Logger,
  MetricsRegistry,
  pinoLogger,
  redactUrl,
} from '../../src/index.ts';
import { get, type LogLine, obsApp } from './helpers.ts';

@Controller('/p')
class LogController {
  @Get('/:id')
  get() {
    return { ok: true };
  }
  @Get('/')
  crash() {
    throw new Error('kaboom');
  }
}

function requestLines(lines: LogLine[]) {
  return lines.filter((l) => l.fields?.httpRequest !== undefined);
}

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

  it('redacts query values whose names look like secrets, keeping the others', async () => {
    const { app, logger } = obsApp([LogController]);
    await app.fetch(get('/p/1?access_token=abc.def&api_key=K1&page=3&Password=pw&client_secret=s&sig=x&name=ada'));
    const http = requestLines(logger.lines)[0].fields?.httpRequest as HttpRequestFields;
    expect(http.requestUrl).toBe(
      'http://svc.test/p/1?access_token=[REDACTED]&api_key=[REDACTED]&page=3&Password=[REDACTED]&client_secret=[REDACTED]&sig=[REDACTED]&name=ada',
    );
    expect(JSON.stringify(logger.lines)).not.toMatch(/abc\.def|K1|=pw|=s&/);
  });

  // one case per name in the documented list: dropping any name from the pattern fails its case
  it.each([
    'token',
    'key',
    'secret',
    'pass',
    'pwd',
    'otp',
    'pin',
    'auth',
    'session',
    'signature',
    'sig',
    'credential',
    'code',
    'jwt',
    'cookie',
  ])('redacts the value of a query parameter named %s in the logged requestUrl', async (name) => {
    const { app, logger } = obsApp([LogController]);
    await app.fetch(get(`/p/1?${name}=leaked-value&page=2`));
    const http = requestLines(logger.lines)[0].fields?.httpRequest as HttpRequestFields;
    expect(http.requestUrl).toBe(`http://svc.test/p/1?${name}=[REDACTED]&page=2`);
    expect(JSON.stringify(logger.lines)).not.toContain('leaked-value');
  });

  it('redacts pass, otp and pin values, however the name is spelled around them', () => {
    expect(redactUrl('http://h/login?user=ada&pass=hunter2&otp=123456&PIN=1234&totp_code=9&passphrase=pp&page=2')).toBe(
      'http://h/login?user=ada&pass=[REDACTED]&otp=[REDACTED]&PIN=[REDACTED]&totp_code=[REDACTED]&passphrase=[REDACTED]&page=2',
    );
  });

  it('redacts encoded secret names too', () => {
    expect(redactUrl('http://h/x?%74oken=abc')).toBe('http://h/x?%74oken=[REDACTED]');
    expect(redactUrl('http://h/x')).toBe('http://h/x');
  });

  it('adds request headers at debug level with Authorization, Proxy-Authorization, X-Api-Key and Cookie redacted', async () => {
    const sink: string[] = [];
    const { app } = obsApp([LogController], { logger: consoleJsonLogger('debug', (l) => sink.push(l)) });
    const headers = {
      authorization: 'Bearer eyJsecret',
      'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
      'x-api-key': 'key-123',
      cookie: 'sid=abc',
      'x-hello': 'world',
    };
    await app.fetch(get('/p/1', { headers }));
    const line = sink.map((l) => JSON.parse(l)).find((l) => l.httpRequest);
    expect(line.requestHeaders).toMatchObject({
      authorization: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      'x-api-key': '[REDACTED]',
      cookie: '[REDACTED]',
      'x-hello': 'world',
    });
    expect(sink.join('\n')).not.toMatch(/eyJsecret|cHJveHk6c2VjcmV0|key-123|sid=abc/);
  });

  it('never adds request headers above debug level', async () => {
    const sink: string[] = [];
    const { app } = obsApp([LogController], { logger: consoleJsonLogger('info', (l) => sink.push(l)) });
    await app.fetch(get('/p/1', { headers: { authorization: 'Bearer eyJsecret' } }));
    expect(sink).toHaveLength(1);
    expect(sink[0]).not.toContain('eyJsecret');
    expect(JSON.parse(sink[0]).requestHeaders).toBeUndefined();
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
    // the 500's "Unhandled error" line still goes through the console logger's own error
    expect(sink.map((l) => JSON.parse(l).message)).toEqual(['Unhandled error']);
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

describe('a real pino logger', () => {
  /** pino writing JSON lines synchronously to a stream we read back. */
  function pinoTo(level: string) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level }, { write: (chunk: string) => lines.push(JSON.parse(chunk)) });
    return { logger, lines };
  }
  const requestLine = (lines: Record<string, unknown>[]) => lines.filter((l) => l.httpRequest !== undefined);

  it('passed as it is, gets the request fields and the request id as JSON fields', async () => {
    const { logger, lines } = pinoTo('info');
    const { app } = obsApp([LogController], { logger });
    await app.fetch(get('/p/1?token=abc', { headers: { 'x-request-id': 'req-pino', 'user-agent': 'probe/2' } }));
    await app.fetch(get('/p'));
    const [ok, crash] = requestLine(lines);
    expect(ok).toMatchObject({
      level: 30,
      msg: 'GET "http://svc.test/p/1?token=[REDACTED]" 200',
      requestId: 'req-pino',
      httpRequest: { requestMethod: 'GET', requestUrl: 'http://svc.test/p/1?token=[REDACTED]', status: 200, userAgent: 'probe/2' },
    });
    expect((ok.httpRequest as HttpRequestFields).latency).toMatch(/^\d+\.\d{6}s$/);
    expect(crash).toMatchObject({ level: 40, httpRequest: { status: 500 } });
    // the error line keeps its fields too
    expect(lines.find((l) => l.msg === 'Unhandled error')).toMatchObject({ level: 50, errorMessage: 'kaboom' });
  });

  it('follows its level: nothing below it, request headers (redacted) at debug', async () => {
    const quiet = pinoTo('warn');
    await obsApp([LogController], { logger: quiet.logger }).app.fetch(get('/p/1'));
    expect(requestLine(quiet.lines)).toEqual([]);
    const loud = pinoTo('debug');
    await obsApp([LogController], { logger: loud.logger }).app.fetch(get('/p/1', { headers: { authorization: 'Bearer eyJsecret' } }));
    expect(requestLine(loud.lines)[0].requestHeaders).toMatchObject({ authorization: '[REDACTED]' });
  });

  it('is recognised by its shape too (child, bindings, a string level), while winston-like loggers stay message-first', async () => {
    const calls: unknown[][] = [];
    const methods = (extra: object) => ({
      level: 'info',
      child: () => methods(extra),
      debug: (...args: unknown[]) => calls.push(args),
      info: (...args: unknown[]) => calls.push(args),
      warn: (...args: unknown[]) => calls.push(args),
      error: (...args: unknown[]) => calls.push(args),
      ...extra,
    });
    await obsApp([LogController], { logger: methods({ bindings: () => ({}) }) as unknown as Logger }).app.fetch(get('/p/1'));
    expect(calls[0]).toEqual([expect.objectContaining({ requestId: expect.any(String) }), 'GET "http://svc.test/p/1" 200']);
    calls.length = 0;
    // winston: child and a string level, but no bindings, and (message, meta) like our Logger
    await obsApp([LogController], { logger: methods({}) as unknown as Logger }).app.fetch(get('/p/1'));
    expect(calls[0]).toEqual(['GET "http://svc.test/p/1" 200', expect.objectContaining({ requestId: expect.any(String) })]);
  });

  it('works the same as a child logger and through pinoLogger', async () => {
    const parent = pinoTo('info');
    await obsApp([LogController], { logger: parent.logger.child({ service: 'svc' }) }).app.fetch(get('/p/1'));
    expect(requestLine(parent.lines)[0]).toMatchObject({ service: 'svc', httpRequest: { status: 200 } });
    const wrapped = pinoTo('info');
    await obsApp([LogController], { logger: pinoLogger(wrapped.logger) }).app.fetch(get('/p/1'));
    expect(requestLine(wrapped.lines)).toHaveLength(1);
    expect(requestLine(wrapped.lines)[0]).toMatchObject({ msg: 'GET "http://svc.test/p/1" 200', httpRequest: { status: 200 } });
  });
});

describe("the console logger's hand-written request line", () => {
  // The built-in JSON logger formats the request line without JSON.stringify of the fields; any
  // other logger gets the fields object. Both must say the same thing, whatever the input.
  const headerValue = fc
    .string({ unit: 'binary', maxLength: 40 })
    .map((s) => s.replace(/[\0\r\n]/g, '').trim())
    // a header value is a ByteString: nothing above U+00FF
    .filter((s) => s !== '' && [...s].every((c) => c.charCodeAt(0) <= 0xff));
  const pathPart = fc.string({ unit: 'binary', maxLength: 30 });

  it('parses to exactly the record a generic logger receives, for any path, query or user agent', async () => {
    await fc.assert(
      fc.asyncProperty(pathPart, pathPart, headerValue, headerValue, async (path, query, agent, ip) => {
        const sink: string[] = [];
        const fast = obsApp([LogController], { logger: consoleJsonLogger('info', (l) => sink.push(l)) }).app;
        const slow = obsApp([LogController]);
        const url = `/p/${encodeURIComponent(path)}?q=${encodeURIComponent(query)}&token=${encodeURIComponent(query)}\\"`;
        const headers = { 'user-agent': agent, 'cf-connecting-ip': ip, 'x-request-id': 'req-1' };
        const [a, b] = [await fast.fetch(get(url, { headers })), await slow.app.fetch(get(url, { headers }))];
        expect(a.status).toBe(b.status);
        for (const l of sink) expect(l).not.toMatch(/[\r\n]/);
        const lines = sink.map((l) => JSON.parse(l)).filter((l) => l.httpRequest !== undefined);
        expect(lines).toHaveLength(1);
        const [line] = lines;
        const generic = requestLines(slow.logger.lines)[0];
        expect(line.message).toBe(generic.message);
        expect(line.severity).toBe(generic.level.toUpperCase());
        const { latency: _a, ...fastHttp } = line.httpRequest;
        const { latency: _b, ...slowHttp } = (generic.fields as { httpRequest: HttpRequestFields }).httpRequest;
        expect(fastHttp).toEqual(JSON.parse(JSON.stringify(slowHttp)));
        expect(line.requestId).toBe('req-1');
        expect(Object.keys(line)).toEqual(['timestamp', 'severity', 'message', 'requestId', 'httpRequest']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('a broken logger or metrics sink never costs the response', () => {
  const throwing: Logger = {
    debug() {
      throw new Error('log sink down');
    },
    info() {
      throw new Error('log sink down');
    },
    warn() {
      throw new Error('log sink down');
    },
    error() {
      throw new Error('log sink down');
    },
    isLevelEnabled() {
      throw new Error('log sink down');
    },
  };

  it('still answers normally when every logger call throws', async () => {
    const { app } = obsApp([LogController], { logger: throwing });
    const ok = await app.fetch(get('/p/1'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const crash = await app.fetch(get('/p'));
    expect(crash.status).toBe(500);
    expect(await crash.json()).toHaveProperty('message');
    expect((await app.fetch(get('/running'))).status).toBe(200);
  });

  it('still answers normally when a metrics sink throws on every response', async () => {
    const sink: Battery = {
      name: 'broken-metrics-sink',
      start: () => ({
        onResponse() {
          throw new Error('statsd down');
        },
      }),
    };
    const registry = new MetricsRegistry();
    const { app, logger } = obsApp([LogController], { metrics: { registry } }, [sink, ...defaultBatteries()]);
    const res = await app.fetch(get('/p/1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await app.fetch(get('/p'))).status).toBe(500);
    // the broken sink runs first: the metrics and the request log after it still see every request
    expect(requestLines(logger.lines).map((l) => l.message)).toEqual(['GET "http://svc.test/p/1" 200', 'GET "http://svc.test/p" 500']);
    const text = await (await app.fetch(get('/metrics'))).text();
    expect(text).toContain('http_requests_total{method="GET",route="/p/:id",status="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/p",status="500"} 1');
  });

  it("still answers, and counts, when a custom metric update throws in another battery's onResponse", async () => {
    const registry = new MetricsRegistry();
    const custom = registry.counter({ name: 'custom_total', help: 'c', labelNames: ['kind'] });
    const sink: Battery = {
      name: 'custom-metric',
      start: () => ({
        onResponse() {
          custom.inc({ nope: 'x' } as never); // throws: unknown label
        },
      }),
    };
    const { app } = obsApp([LogController], { metrics: { registry } }, [...defaultBatteries(), sink]);
    expect((await app.fetch(get('/p/1'))).status).toBe(200);
    expect(await (await app.fetch(get('/metrics'))).text()).toContain('http_requests_total{method="GET",route="/p/:id",status="200"} 1');
  });
});
