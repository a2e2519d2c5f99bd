import { describe, expect, it } from 'vitest';
import { consoleJsonLogger } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController } from './request-log-app.ts';

/** The debug request line's `requestHeaders` for a request with `headers`, and every line written. */
async function debugHeaders(headers: Record<string, string>) {
  const sink: string[] = [];
  const { app } = obsApp([LogController], { logger: consoleJsonLogger('debug', (l) => sink.push(l)) });
  await app.fetch(get('/p/1', { headers }));
  const line = sink.map((l) => JSON.parse(l)).find((l) => l.httpRequest);
  return { requestHeaders: line.requestHeaders as Record<string, string>, text: sink.join('\n') };
}

describe('request log at debug level: headers named like secrets', () => {
  it.each([
    ['x-goog-iap-jwt-assertion', 'eyJhbGciOiJFUzI1NiJ9.IAPJWT.sig'],
    ['cf-access-jwt-assertion', 'eyJ.CFJWT.sig'],
    ['x-auth-token', 'secret-auth-token'],
    ['x-amz-security-token', 'AWS-SESSION-TOKEN'],
    ['x-csrf-token', 'csrf-value'],
    ['x-session-id', 'session-value'],
  ])('redacts %s', async (name, value) => {
    const { requestHeaders, text } = await debugHeaders({ [name]: value, 'x-hello': 'world' });
    expect(requestHeaders[name]).toBe('[REDACTED]');
    expect(requestHeaders['x-hello']).toBe('world');
    expect(text).not.toContain(value);
  });

  it('keeps ordinary headers, and still redacts the fixed set', async () => {
    const { requestHeaders } = await debugHeaders({
      'content-type': 'application/json',
      'accept-encoding': 'gzip',
      'x-request-id': 'req-1',
      'set-cookie': 'sid=abc',
      'x-api-key': 'key-123',
    });
    expect(requestHeaders).toMatchObject({
      'content-type': 'application/json',
      'accept-encoding': 'gzip',
      'x-request-id': 'req-1',
      'set-cookie': '[REDACTED]',
      'x-api-key': '[REDACTED]',
    });
  });
});
