import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { JSON_HEADERS, type TargetRef } from '../case.ts';

/**
 * A client that goes away mid-body is not a server error (no 5xx sent, counted or logged at
 * ERROR), and a body declared over MAX_BODY_BYTES is refused with a 413 the client receives even
 * while its upload is still arriving. Over raw sockets: fetch cannot send a body shorter than its
 * Content-Length, nor keep sending after the answer.
 */
export default function clientAbortCases(target: TargetRef): void {
  /** `http_requests_total` for POST /patients by status, from /metrics (absent statuses are 0). */
  const postCounts = async (): Promise<Map<string, number>> => {
    const text = await (await target().fetch('/metrics')).text();
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('http_requests_total{') || !line.includes('method="POST"') || !line.includes('route="/patients"')) continue;
      const status = /status="(\d+)"/.exec(line)?.[1] as string;
      counts.set(status, Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    return counts;
  };
  const fivexx = (counts: Map<string, number>) => [...counts].filter(([status]) => status.startsWith('5')).reduce((n, [, c]) => n + c, 0);
  const errorLines = (from: number) =>
    target()
      .output()
      .slice(from)
      .split('\n')
      .filter((line) => /"severity":"ERROR"/.test(line));

  it('a POST that sends Content-Length: 100, then {"a", then half-closes is no server error', async () => {
    const before = await postCounts();
    const mark = target().output().length;
    let answer: string;
    if (target().name === 'in-process') {
      // no socket in process: a body stream that fails the way Bun's does when the connection closes
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a"'));
          controller.error(new DOMException('The connection was closed.', 'AbortError'));
        },
      });
      const res = await target().fetch('/patients', { method: 'POST', body, headers: JSON_HEADERS, duplex: 'half' } as RequestInit);
      answer = `HTTP/1.1 ${res.status}`;
    } else {
      answer = await rawExchange(target().baseUrl, (socket) => {
        socket.write(`POST /patients HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a"`);
        setTimeout(() => socket.end(), 100);
      });
    }
    // the client may get the 400 or nothing (its runtime may close a half-closed connection), never a 5xx
    expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 400/);
    // the request log and metrics are written after the response: give a remote runtime a moment
    let after = await postCounts();
    for (let i = 0; i < 20 && fivexx(after) === fivexx(before) && (after.get('499') ?? 0) === (before.get('499') ?? 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await postCounts();
    }
    expect(fivexx(after)).toBe(fivexx(before));
    expect(after.get('499') ?? 0).toBe((before.get('499') ?? 0) + 1);
    expect(errorLines(mark)).toEqual([]);
  });

  it('a client that drops the connection mid-body is recorded as 499, never 5xx or ERROR', async ({ skip }) => {
    if (target().name === 'in-process') return skip('no socket in process');
    const before = await postCounts();
    const mark = target().output().length;
    await rawExchange(target().baseUrl, (socket) => {
      socket.write(`POST /patients HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a"`);
      setTimeout(() => socket.destroy(), 200);
    });
    let after = await postCounts();
    for (let i = 0; i < 20 && (after.get('499') ?? 0) === (before.get('499') ?? 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await postCounts();
    }
    expect(fivexx(after)).toBe(fivexx(before));
    expect(after.get('499') ?? 0).toBe((before.get('499') ?? 0) + 1);
    expect(errorLines(mark)).toEqual([]);
  });

  it.for(['content-length', 'chunked'])(
    'answers 413 to an upload over MAX_BODY_BYTES while it is still arriving (%s)',
    { timeout: 20_000 },
    async (framing, { skip }) => {
      if (target().name === 'in-process') return skip('no socket in process');
      // Known limit: local workerd (not Cloudflare's edge, which buffers uploads) often resets a
      // connection whose body it has not read, and the early 413 is lost on the way (measured: the
      // content-length case always, the chunked case about one run in two).
      if (target().name === 'workerd') return skip('local workerd resets a connection whose body it has not read');
      // more than loopback moves while a loaded machine delays the answer by a few tens of ms, so the
      // upload is still under way when the 413 arrives; under Bun's own 128 MiB limit, which would answer first
      const declared = 100 * 1024 * 1024;
      const data = 'x'.repeat(64 * 1024);
      // chunked: each write is one chunk of 64 KiB (hex 10000)
      const chunk = framing === 'chunked' ? `10000\r\n${data}\r\n` : data;
      const framingHeader = framing === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${declared}`;
      let sent = 0;
      const answer = await rawExchange(
        target().baseUrl,
        (socket) => {
          socket.write(`POST /patients HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n${framingHeader}\r\n\r\n`);
          // keep uploading (as curl would) until the answer arrives or the server stops reading
          const pump = () => {
            while (!socket.destroyed && sent < declared && !socket.answered) {
              sent += chunk.length;
              if (!socket.write(chunk)) return void socket.once('drain', pump);
            }
          };
          pump();
        },
        10_000,
      );
      expect(answer.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('exceeds');
      // it really arrived mid-upload, not after the whole body
      expect(sent).toBeLessThan(declared);
    },
  );
}

type RawSocket = ReturnType<typeof connect> & { answered?: boolean };

/**
 * Opens a connection, lets `drive` write, and resolves with everything received until the server
 * closes (or `timeoutMs`, or a complete response with a Content-Length). '' when nothing came.
 */
function rawExchange(baseUrl: string, drive: (socket: RawSocket) => void, timeoutMs = 5000): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket: RawSocket = connect(Number(port), hostname);
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (data) => {
      received += data;
      socket.answered = true;
      const head = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(received)?.[1];
      if (head >= 0 && length !== undefined && Buffer.byteLength(received) - head - 4 >= Number(length)) done();
    });
    socket.on('error', () => {});
    socket.on('close', done);
    socket.on('connect', () => drive(socket));
  });
}
