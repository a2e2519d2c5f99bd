import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consoleJsonLogger, type HttpRequestFields } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';
import { LogController, requestLines } from './request-log-app.ts';

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
