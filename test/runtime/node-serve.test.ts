import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serve } from '../../src/adapters/node.ts';
import { Controller, createApp, Get, Query, silentLogger } from '../../src/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

@Controller('/')
class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'hi' };
  }
}

@Controller('/')
class BigController {
  @Get('/big')
  big() {
    return 'x'.repeat(8 * 1024 * 1024);
  }
}

@Controller('/')
class SlowController {
  @Get('/slow')
  async slow(@Query('ms') ms: string) {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return { done: true };
  }
}

const testApp = () =>
  createApp({
    env: { ENVIRONMENT: 'TEST' },
    testing: true,
    docs: false,
    logger: silentLogger,
    controllers: [HelloController, SlowController, BigController],
  });

/** One GET (by default over a fresh, non keep-alive connection); resolves with the status or the socket error code. */
function get(url: string, agent: Agent | false = false): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe('serve() from fetch-batteries/node', () => {
  it('serves the app and reports its url and port', async () => {
    const server = await serve(testApp(), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const res = await get(`${server.url}/hello`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body ?? '')).toEqual({ message: 'hi' });
    } finally {
      await server.close();
    }
  });

  it('says which port is taken when it is already in use, instead of a bare EADDRINUSE', async () => {
    const first = await serve(testApp(), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    try {
      await expect(serve(testApp(), { port: first.port, hostname: '127.0.0.1', handleSignals: false })).rejects.toThrow(
        `port ${first.port} on 127.0.0.1 is already in use: choose another (PORT)`,
      );
    } finally {
      await first.close();
    }
  });

  it('shuts down when its AbortSignal fires: connections refused afterwards, the app closed (503 in process)', async () => {
    const app = testApp();
    const controller = new AbortController();
    const server = await serve(app, { port: 0, hostname: '127.0.0.1', handleSignals: false, signal: controller.signal });
    controller.abort();
    await server.close(); // the same shutdown, awaited
    expect((await get(`${server.url}/hello`)).error).toBe('ECONNREFUSED');
    const after = await app.fetch(new Request('http://x/hello'));
    expect(after.status).toBe(503);
  });

  it('lets an in-flight request on a keep-alive connection finish, then closes that connection and the idle ones at once', async () => {
    const server = await serve(testApp(), { port: 0, hostname: '127.0.0.1', handleSignals: false, shutdownTimeoutMs: 30_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    try {
      // two keep-alive sockets: one left idle, one busy with a slow request when shutdown starts
      await Promise.all([get(`${server.url}/hello`, agent), get(`${server.url}/slow?ms=50`, agent)]);
      const slow = get(`${server.url}/slow?ms=1500`, agent);
      await new Promise((r) => setTimeout(r, 100));
      const [idle] = Object.values(agent.freeSockets).flat();
      const events: string[] = [];
      idle?.once('close', () => events.push('idle closed'));
      const closed = server.close();
      const answer = await slow;
      events.push('slow answered');
      expect(answer).toMatchObject({ status: 200, body: '{"done":true}' });
      await closed;
      // Node would keep the idle socket for its 5 s keep-alive timeout; the drain closes it while the slow request still runs
      expect(events).toEqual(['idle closed', 'slow answered']);
      expect((await get(`${server.url}/hello`)).error).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('does not drop a request whose headers are still arriving when shutdown starts', async () => {
    const server = await serve(testApp(), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    const busy = get(`${server.url}/slow?ms=500`);
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => {});
    const ended = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('GET /hello HTTP/1.1\r\nhost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close();
    await new Promise((r) => setTimeout(r, 60));
    socket.write('user-agent: late\r\n\r\n');
    await ended;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer).toContain('{"message":"hi"}');
    expect(await busy).toMatchObject({ status: 200 });
    await closed;
  });

  it('lets a large response to a slow reader finish when shutdown starts mid-transfer', async () => {
    const server = await serve(testApp(), { port: 0, hostname: '127.0.0.1', handleSignals: false });
    const received = new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/big`, { agent: false }, (res) => {
        let bytes = 0;
        // a slow client: nothing read for a while, so most of the body waits in the server's buffers
        res.pause();
        setTimeout(() => res.resume(), 300);
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
        res.on('aborted', () => reject(new Error(`aborted after ${bytes} bytes`)));
        res.on('error', (e) => reject(e));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    expect(await received).toBe(8 * 1024 * 1024);
    await closed;
  });

  it('on SIGTERM lets an in-flight request finish, refuses new connections, closes the app once and exits 0', async () => {
    const child = spawn(`${root}node_modules/.bin/tsx`, ['test/runtime/fixtures/slow-server.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /READY (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', () => reject(new Error(`server exited before ready:\n${out}`)));
      });
      const slow = get(`${url}/slow?ms=1500`);
      await new Promise((r) => setTimeout(r, 300)); // the request is now in flight
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const late = await get(`${url}/slow?ms=0`);
      expect(late.error).toBe('ECONNREFUSED');
      const finished = await slow;
      expect(finished, out).toMatchObject({ status: 200 });
      expect(JSON.parse(finished.body ?? '')).toEqual({ done: true });
      expect(await exited).toBe(0);
      expect(out.match(/APP CLOSED/g)).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
