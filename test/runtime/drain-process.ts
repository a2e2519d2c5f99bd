// Starts test/runtime/fixtures/drain-server.ts on Node, Bun or Deno and reads what it answers and logs.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
const FIXTURE = 'test/runtime/fixtures/drain-server.ts';

export const DRAIN_SERVERS: Record<string, string[]> = {
  // node itself with tsx's loader, not the tsx CLI: the signal reaches the server with no relay in between
  node: [process.execPath, '--import', 'tsx', FIXTURE],
  bun: [bin('bun'), FIXTURE],
  deno: [bin('deno'), 'run', '-A', '--config', 'deno.json', FIXTURE],
};

export interface DrainProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns the fixture; `ready` resolves with its url once it listens (rejects if it exits first). */
export function spawnDrainServer(runtime: string, env: Record<string, string> = {}): DrainProcess & { ready: Promise<string> } {
  const [cmd, ...argv] = DRAIN_SERVERS[runtime];
  const child = spawn(cmd, argv, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /READY (\S+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`server exited before ready:\n${stderr}`)));
  });
  ready.catch(() => {});
  return { child, stdout: () => stdout, stderr: () => stderr, exited, ready };
}

/** One GET on a fresh connection: the status, or the socket error code. */
export function get(url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** The statuses of the request log lines in a process's standard output, in order. */
export function loggedStatuses(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter((line) => line.includes('"httpRequest"'))
    .map((line) => Number(JSON.parse(line).httpRequest.status));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
