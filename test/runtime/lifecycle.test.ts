/**
 * The life of a served process, on the real Node, Bun and Deno examples (examples/<runtime>/server.ts,
 * embedded PGlite): the first /healthcheck after start is ok within its timeout (the database was
 * opened before listening), and SIGTERM drains: a request in flight completes, new connections are
 * refused, its log line is written, the process exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { targetEnv } from './env.ts';
import { freePort } from './targets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const RUNTIMES: Record<string, [string, string[]]> = {
  // node itself with tsx's loader, not the tsx CLI: the signal reaches the server with no relay in between
  node: [process.execPath, ['--import', 'tsx', 'examples/node/server.ts']],
  bun: [bin('bun'), ['examples/bun/server.ts']],
  deno: [bin('deno'), ['run', '-A', '--config', 'deno.json', 'examples/deno/server.ts']],
};
const only = process.env.RUNTIME_TARGETS?.split(',').map((s) => s.trim());
const runtimes = Object.keys(RUNTIMES).filter((r) => !only || only.includes(r));

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function start(runtime: string): Promise<Started> {
  const port = await freePort();
  const [command, args] = RUNTIMES[runtime];
  const child = spawn(command, args, {
    cwd: root,
    // INFO: the request log lines are part of what a drain must not lose
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      ...targetEnv,
      LOG_LEVEL: 'INFO',
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // /running only: the first /healthcheck is the test's own
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${runtime} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${runtime} did not listen within 90 s:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/running`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, output: () => output, exited };
}

/** Resolves with 'refused' when nothing listens on the port any more, else 'accepted'. */
function tryConnect(port: number): Promise<'refused' | 'accepted'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.on('error', () => resolve('refused'));
  });
}

/** A GET on a new connection: its status line, or 'refused'. */
async function lateRequest(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/hello`, { signal: AbortSignal.timeout(5000) });
    return `HTTP/1.1 ${res.status}`;
  } catch {
    return 'refused';
  }
}

describe.each(runtimes)('served process: %s', (runtime) => {
  it('answers the first /healthcheck ok within its timeout, then drains on SIGTERM and exits 0', async () => {
    const server = await start(runtime);
    try {
      const health = await fetch(`http://127.0.0.1:${server.port}/healthcheck`);
      const report = (await health.json()) as { status: string; checks: { database: { status: string; latency_ms: number } } };
      expect(health.status, server.output()).toBe(200);
      expect(report.status).toBe('ok');
      expect(report.checks.database.status).toBe('ok');
      // 'ok' already says the check finished within its own timeout: past it, the check is 'fail'
      expect(report.checks.database.latency_ms).toBeGreaterThanOrEqual(0);

      // a POST whose body is still arriving when SIGTERM comes: in flight, its handler waiting
      const body = JSON.stringify({ first_name: 'Drain', last_name: runtime });
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('error', () => {});
      const closed = new Promise((resolve) => socket.on('close', resolve));
      await new Promise((resolve) => socket.on('connect', resolve));
      socket.write(
        `POST /patients HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 300));
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      // Node stops listening at once, Bun after 250 ms; Deno (whose shutdown() would cut the body
      // still arriving) keeps listening until its in-flight requests are done, answering 503 then
      const late = runtime === 'deno' ? lateRequest(server.port) : undefined;
      if (runtime !== 'deno') expect(await tryConnect(server.port)).toBe('refused');
      expect(server.child.exitCode, 'still draining').toBeNull();
      socket.write(body.slice(10));
      const done = setTimeout(() => socket.destroy(), 10_000);
      await closed;
      clearTimeout(done);
      expect(answer.split('\r\n')[0], server.output()).toBe('HTTP/1.1 201 Created');
      expect(answer).toContain('"first_name":"Drain"');
      if (late) expect(await late).toBe('HTTP/1.1 503');
      expect(await server.exited, server.output()).toBe(0);
      // the drained request's log line was written before the exit, once
      const lines = server.output().match(/"POST \\"http:\/\/[^"\\]+\/patients\\" 201"/g) ?? [];
      expect(lines, server.output()).toHaveLength(1);
      expect(server.output()).not.toMatch(/"severity":"ERROR"/);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 150_000);
});
