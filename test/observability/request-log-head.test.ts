import { describe, expect, it } from 'vitest';
import { Controller, consoleJsonLogger, Get } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController, requestLines } from './request-log-app.ts';

@Controller('/sized')
class Sized {
  @Get('/')
  get() {
    return new Response('12345', { headers: { 'content-length': '5' } });
  }
}

describe('the request log of a HEAD request', () => {
  it('has no responseSize, for a body we build or one with Content-Length (no body is sent)', async () => {
    const { app, logger } = obsApp([LogController, Sized]);
    await app.fetch(get('/p/1', { method: 'HEAD' }));
    await app.fetch(get('/sized', { method: 'HEAD' }));
    await app.fetch(get('/p/1'));
    const [head, headSized, getLine] = requestLines(logger.lines).map((l) => l.fields?.httpRequest as Record<string, unknown>);
    expect(head.requestMethod).toBe('HEAD');
    expect(head.responseSize).toBeUndefined();
    expect(headSized.responseSize).toBeUndefined();
    expect(getLine.responseSize).toBe(11);
  });

  it('has no responseSize in the built-in JSON logger line either', async () => {
    const sink: string[] = [];
    const { app } = obsApp([LogController], { logger: consoleJsonLogger('info', (l) => sink.push(l)) });
    await app.fetch(get('/p/1', { method: 'HEAD' }));
    const lines = sink.map((l) => JSON.parse(l)).filter((l) => l.httpRequest !== undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0].httpRequest.requestMethod).toBe('HEAD');
    expect(lines[0].httpRequest).not.toHaveProperty('responseSize');
  });
});
