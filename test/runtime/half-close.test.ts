import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../../src/adapters/node.ts';
import { Body, Controller, createApp, Get, type Logger, Post, Status } from '../../src/index.ts';

/**
 * A client that sends a complete request and then half-closes (shutdown(SHUT_WR): `nc -N`, some
 * HTTP/1.0 tools and proxies) still gets its response from the real Node server, also from a
 * handler that awaits I/O; the connection then closes rather than lingering.
 */

@Controller('/')
class NotesController {
  @Post('/notes')
  @Status(201)
  async add(@Body() body: unknown) {
    // stands in for a database round trip: the response is written well after the client's FIN
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { saved: body };
  }

  @Get('/big')
  async big() {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return 'x'.repeat(8 * 1024 * 1024);
  }
}

const lines: string[] = [];
const at = (severity: string) => (message: string) => void lines.push(`${severity} ${message}`);
const logger: Logger = { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };

let server: RunningServer;
beforeAll(async () => {
  const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, docs: false, logger, controllers: [NotesController] });
  server = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: false });
});
afterAll(() => server?.close());

/** A raw connection: everything it reads, and a promise settled when the server closes it. */
async function open(): Promise<{ socket: Socket; text: () => string; closed: Promise<void> }> {
  const socket = connect(server.port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d) => (answer += d));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise((resolve) => socket.on('connect', resolve));
  return { socket, text: () => answer, closed };
}

function post(body: string, declared = Buffer.byteLength(body)): string {
  return `POST /notes HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${declared}\r\n\r\n${body}`;
}

describe('Node serve(): a client that half-closes', () => {
  it('gets the full 201 response to a complete request sent before its FIN, then the server closes', async () => {
    const conn = await open();
    conn.socket.end(post('{"n":1}')); // the whole request, then SHUT_WR
    // the server closing its side settles this; a server that kept the socket would time the test out
    await conn.closed;
    const [head, body] = conn.text().split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(JSON.parse(body)).toEqual({ saved: { n: 1 } });
    expect(lines).toContain('INFO POST "http://localhost/notes" 201');
  });

  it('gets all of a large response (8 MiB, more than one kernel send) before the server closes', async () => {
    const conn = await open();
    conn.socket.end('GET /big HTTP/1.1\r\nhost: localhost\r\n\r\n');
    await conn.closed;
    const answer = conn.text();
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer.length - answer.indexOf('\r\n\r\n') - 4).toBe(8 * 1024 * 1024);
  });

  it('closes an idle keep-alive connection once the client half-closes it', async () => {
    const conn = await open();
    conn.socket.write(post('{"n":2}'));
    while (!conn.text().includes('{"saved":{"n":2}}')) await new Promise((r) => setTimeout(r, 10));
    expect(conn.text().split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    conn.socket.end();
    await conn.closed;
  });

  it('records a body cut short by the half-close as 499, never a 5xx', async () => {
    lines.length = 0;
    const conn = await open();
    conn.socket.end(post('{"n"', 100));
    await conn.closed;
    while (!lines.some((l) => l.includes('"http://localhost/notes"'))) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toContain('INFO POST "http://localhost/notes" 499');
    // Node's parser refuses the short body itself: the client gets a bare 400, never a 5xx
    expect(conn.text().split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(lines.filter((l) => l.startsWith('ERROR') || l.startsWith('WARN'))).toEqual([]);
  });

  it('lets a graceful shutdown wait for the half-closed request and deliver its response', async () => {
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, docs: false, logger, controllers: [NotesController] });
    const own = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: false });
    const socket = connect(own.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.end(post('{"n":3}'));
    await new Promise((r) => setTimeout(r, 10));
    await own.close();
    await closed;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(answer).toContain('{"saved":{"n":3}}');
  });
});
