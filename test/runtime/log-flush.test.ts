import { spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/** Request ids of the request log lines in a process's standard output (other lines ignored). */
function loggedIds(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('"httpRequest"'))
    .map((l) => JSON.parse(l).requestId as string);
}

const RUNTIMES: Record<string, string[]> = {
  node: [bin('tsx'), 'test/runtime/fixtures/log-exit.ts'],
  bun: [bin('bun'), 'test/runtime/fixtures/log-exit.ts'],
  deno: [bin('deno'), 'run', '-A', '--config', 'deno.json', 'test/runtime/fixtures/log-exit.ts'],
};

describe('the buffered request log loses no line when the process ends', () => {
  for (const [runtime, [cmd, ...argv]] of Object.entries(RUNTIMES)) {
    for (const how of ['end', 'exit', 'throw'] as const) {
      it(`${runtime}: 500 lines logged, then the program ${how === 'end' ? 'ends' : how === 'exit' ? 'exits at once' : 'throws'}: all 500 written`, () => {
        const run = spawnSync(cmd, argv, {
          cwd: root,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, NO_COLOR: '1', LOG_EXIT_LINES: '500', LOG_EXIT_HOW: how },
        });
        expect(run.status, run.stderr).toBe(how === 'throw' ? 1 : 0);
        const ids = loggedIds(run.stdout);
        expect(ids).toHaveLength(500);
        expect(new Set(ids).size).toBe(500);
      });
    }
  }
});

/** What one GET on a keep-alive agent ended with. */
interface Outcome {
  status?: number;
  id?: string;
  /** The response's Connection header. */
  connection?: string;
  body?: string;
  /** The socket error code when no complete response arrived. */
  error?: string;
  /** Whether the request went on a connection that had served an earlier one. */
  reused?: boolean;
}

/** One GET on a keep-alive agent. */
function get(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode, body, id: String(res.headers['x-request-id']), connection: res.headers.connection }),
      );
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: req.reusedSocket }));
    req.end();
  });
}

const SERVERS: Record<string, string[]> = {
  // node itself with tsx's loader, not the tsx CLI: SIGTERM reaches the server with no relay in between
  node: [process.execPath, '--import', 'tsx', 'test/runtime/fixtures/log-server.ts'],
  bun: [bin('bun'), 'test/runtime/fixtures/log-server.ts'],
  deno: [bin('deno'), 'run', '-A', '--config', 'deno.json', 'test/runtime/fixtures/log-server.ts'],
};

describe("SIGTERM under load (each runtime's serve)", () => {
  it.each(Object.keys(SERVERS))(
    '%s: keep-alive load through SIGTERM: exits well before shutdownTimeoutMs, every answer complete, one log line per response',
    async (runtime) => {
      const [cmd, ...argv] = SERVERS[runtime];
      const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let stop = false;
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stderr.on('data', (d) => {
            stderr += d;
            const m = /READY (\S+)/.exec(stderr);
            if (m) resolve(m[1]);
          });
          child.once('exit', () => reject(new Error(`server exited before ready:\n${stderr}`)));
        });
        const received: string[] = [];
        const outcomes: Outcome[][] = [];
        // 16 keep-alive clients in a loop through the shutdown, bounded: until the server refuses them, or 10 s at most
        const deadline = Date.now() + 10_000;
        let sigterm = 0;
        const client = async () => {
          const agent = new Agent({ keepAlive: true, maxSockets: 1 });
          const mine: Outcome[] = [];
          outcomes.push(mine);
          while (!stop && Date.now() < deadline) {
            const outcome = await get(`${url}/hello`, agent);
            if (sigterm) mine.push(outcome);
            // Deno's 503s while it drains are responses too, logged like any other
            if (outcome.status !== undefined) received.push(outcome.id ?? '');
            if (outcome.error) break;
          }
          agent.destroy();
        };
        const clients = Array.from({ length: 16 }, client);
        await new Promise((r) => setTimeout(r, 700));
        expect(received.length).toBeGreaterThan(50);
        sigterm = Date.now();
        child.kill('SIGTERM');
        // the drain ends once the requests in flight are answered: the server's shutdownTimeoutMs
        // (10 minutes) is far past this test's timeout, so waiting for it fails the test
        const code = await exited;
        await Promise.all(clients);
        expect(code).toBe(0);
        for (const mine of outcomes) {
          // Each answer is complete: 200 (Node and Bun serve a request on a connection opened before
          // SIGTERM) or Deno's 503 (it cannot tell old connections from new ones, and answers what
          // arrives while it drains without running it). An answer after SIGTERM closes its
          // connection, so the next request goes to a new one, which is refused: never a reset.
          const answers = mine.filter((o) => o.error === undefined);
          for (const o of answers) {
            if (o.status !== 200) expect(o).toMatchObject({ status: 503, body: '{"message":"Service is shutting down"}' });
          }
          expect(answers.at(-1)?.connection, JSON.stringify(mine)).toBe('close');
          expect(mine.at(-1)?.error, JSON.stringify(mine)).toBe('ECONNREFUSED');
          expect(mine.filter((o) => o.error !== undefined)).toHaveLength(1);
        }
        const logged = loggedIds(stdout);
        const counts = new Map<string, number>();
        for (const id of logged) counts.set(id, (counts.get(id) ?? 0) + 1);
        const missing = received.filter((id) => counts.get(id) !== 1);
        expect(missing, `${received.length} received, ${logged.length} logged`).toEqual([]);
        // and no line for a response nobody received, nor twice for one
        expect(logged.length).toBe(received.length);
      } finally {
        stop = true;
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    30_000,
  );
});
