import { describe, expect, it } from 'vitest';
import { consoleJsonLogger, type HttpRequestFields, redactUrl } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController, requestLines } from './request-log-app.ts';

describe('request log: secrets stay out', () => {
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
});
