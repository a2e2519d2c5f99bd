import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type HttpRequestFields, type Logger, pinoLogger } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController } from './request-log-app.ts';

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
    expect(lines.find((l) => l.msg === 'Error kaboom')).toMatchObject({ level: 50, errorMessage: 'kaboom' });
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
