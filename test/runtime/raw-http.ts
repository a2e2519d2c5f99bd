// Fixture servers started on a real runtime, and raw HTTP requests sent to them byte for byte
// (no client fixing the Host or normalising the path).
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

export type FixtureRuntime = 'node' | 'bun' | 'deno';

export interface FixtureServer {
  port: number;
  /** Standard output so far: the request log lines. */
  output(): string;
  child: ChildProcess;
}

/** Starts `fixture` (a path from the repository root) on `runtime`; resolves once it prints READY <url> on standard error. */
export function startFixture(runtime: FixtureRuntime, fixture: string, env: Record<string, string> = {}): Promise<FixtureServer> {
  const [command, argv] =
    runtime === 'bun'
      ? [bin('bun'), [fixture]]
      : runtime === 'deno'
        ? [bin('deno'), ['run', '-A', '--config', 'deno.json', fixture]]
        : [process.execPath, ['--import', 'tsx', fixture]];
  const child = spawn(command, argv, { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      stderr += d;
      const ready = /READY http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (ready) resolve({ port: Number(ready[1]), output: () => stdout, child });
    });
    child.once('exit', (code) => reject(new Error(`${runtime} exited with ${code}: ${stderr}`)));
  });
}

/** One raw HTTP request on its own connection (bytes as written); the whole answer. */
export function raw(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => (data += d));
    socket.on('error', reject);
    // HTTP/1.0 and `Connection: close` both end with the server closing the connection
    socket.on('end', () => {
      const [status, body] = [Number(data.split(' ')[1]), data.slice(data.indexOf('\r\n\r\n') + 4)];
      resolve({ status, body });
    });
    socket.write(head, 'latin1');
  });
}
