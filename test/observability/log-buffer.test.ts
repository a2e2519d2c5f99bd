import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Controller, consoleJsonLogger, createApp, Get } from '../../src/index.ts';
import { LineBuffer, type LineSink } from '../../src/observability/log-buffer.ts';
import { dropLine } from '../../src/observability/stdout-lines.ts';

/** A sink that records every write; `delayMs` > 0 makes each write take that long (a slow pipe). */
function recordingSink(delayMs = 0) {
  const writes: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sink: LineSink = {
    write(chunk) {
      writes.push(chunk);
      if (delayMs === 0) return undefined;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          inFlight--;
          resolve();
        }, delayMs),
      );
    },
  };
  const lines = () => writes.join('').split('\n').filter(Boolean);
  return { sink, writes, lines, maxInFlight: () => maxInFlight };
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('LineBuffer (the batched request log)', () => {
  it('writes every line pushed in one event-loop turn with a single write, in order', async () => {
    const { sink, writes, lines } = recordingSink();
    const buffer = new LineBuffer(sink);
    for (let i = 0; i < 100; i++) buffer.push(`{"n":${i}}`);
    expect(writes).toHaveLength(0);
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(lines()).toEqual(Array.from({ length: 100 }, (_, i) => `{"n":${i}}`));
  });

  it('writes at once when a batch is full, without waiting for the turn to end', () => {
    const { sink, writes } = recordingSink();
    const buffer = new LineBuffer(sink, { batchChars: 1000 });
    for (let i = 0; i < 30; i++) buffer.push('x'.repeat(99));
    // 10 lines of 100 characters fill a batch
    expect(writes.length).toBe(3);
    expect(writes.every((w) => w.length === 1000)).toBe(true);
  });

  it('keeps memory bounded under a slow sink: drops past the bound, counts them, and logs the count', async () => {
    const { sink, writes, lines, maxInFlight } = recordingSink(30);
    const maxChars = 64 * 1024;
    const buffer = new LineBuffer(sink, { maxChars, dropLine });
    const line = `{"pad":"${'x'.repeat(1000)}"}`;
    const pushed = 2000; // ~2 MB offered while the sink takes one write per 30 ms
    for (let i = 0; i < pushed; i++) {
      buffer.push(line);
      if (i % 100 === 0) await nextTurn();
    }
    await buffer.flush();
    // never more than the bound waited in memory: no single write exceeds it (plus the drop report)
    for (const w of writes) expect(w.length).toBeLessThanOrEqual(maxChars + 200);
    expect(maxInFlight()).toBe(1);
    const written = lines();
    const dataLines = written.filter((l) => l.startsWith('{"pad"'));
    const reports = written.filter((l) => l.includes('log lines dropped')).map((l) => JSON.parse(l));
    expect(buffer.dropped).toBeGreaterThan(0);
    expect(dataLines.length + buffer.dropped).toBe(pushed);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toMatchObject({ severity: 'WARN' });
    expect(reports.reduce((sum, r) => sum + r.droppedLines, 0)).toBe(buffer.dropped);
  });

  it('flush() resolves only once a slow sink has taken every waiting line', async () => {
    const { sink, lines } = recordingSink(20);
    const buffer = new LineBuffer(sink);
    for (let i = 0; i < 5; i++) buffer.push(`a${i}`);
    await nextTurn(); // first batch now in flight
    for (let i = 0; i < 5; i++) buffer.push(`b${i}`);
    await buffer.flush();
    expect(lines()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('flushSync() hands what waits to the synchronous write (process exit)', () => {
    const sync: string[] = [];
    const buffer = new LineBuffer({ write: () => undefined, writeSync: (chunk) => void sync.push(chunk) });
    buffer.push('one');
    buffer.push('two');
    buffer.flushSync();
    expect(sync).toEqual(['one\ntwo\n']);
  });

  it('a sink that throws costs its batch, never the caller', async () => {
    const buffer = new LineBuffer({
      write() {
        throw new Error('EPIPE');
      },
    });
    expect(() => buffer.push('x')).not.toThrow();
    await nextTurn();
    await expect(buffer.flush()).resolves.toBeUndefined();
  });
});

@Controller('/')
class Hello {
  @Get('/hello')
  hello() {
    return { hi: true };
  }
}

describe('the request log through a LineBuffer', () => {
  it('app.close() writes the lines still waiting', async () => {
    const { sink, lines } = recordingSink(10);
    const buffer = new LineBuffer(sink);
    const logger = { ...consoleJsonLogger('info', (line) => buffer.push(line)), flush: () => buffer.flush() };
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, docs: false, controllers: [Hello], logger });
    for (let i = 0; i < 20; i++) expect((await app.fetch(new Request('http://svc.test/hello'))).status).toBe(200);
    await app.close();
    const requestLines = lines().filter((l) => l.includes('"httpRequest"'));
    expect(requestLines).toHaveLength(20);
  });
});

describe('pino with its asynchronous destination', () => {
  it('app.close() flushes it: the request lines are in the file when close() resolves', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'fb-pino-')), 'log.ndjson');
    const destination = pino.destination({ dest: file, sync: false, minLength: 8192 });
    const app = createApp({
      env: { ENVIRONMENT: 'TEST' },
      docs: false,
      controllers: [Hello],
      logger: pino({ level: 'info' }, destination),
    });
    for (let i = 0; i < 10; i++) expect((await app.fetch(new Request('http://svc.test/hello'))).status).toBe(200);
    await app.close();
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.includes('"httpRequest"'));
    expect(lines).toHaveLength(10);
    destination.end();
  });
});
