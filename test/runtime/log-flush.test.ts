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

/** One GET on a keep-alive agent: the response's request id, or undefined when it never arrived. */
function getId(url: string, agent: Agent): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? String(res.headers['x-request-id']) : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

const SERVERS: Record<string, string[]> = {
  node: [bin('tsx'), 'test/runtime/fixtures/log-server.ts'],
  bun: [bin('bun'), 'test/runtime/fixtures/log-server.ts'],
  deno: [bin('deno'), 'run', '-A', '--config', 'deno.json', 'test/runtime/fixtures/log-server.ts'],
};

describe("SIGTERM under load (each runtime's serve)", () => {
  it.each(Object.keys(SERVERS))(
    '%s: writes exactly one log line for every response a client received',
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
        // 16 keep-alive clients in a loop, bounded: until the server goes, told to stop, or 10 s at most
        const deadline = Date.now() + 10_000;
        const client = async () => {
          const agent = new Agent({ keepAlive: true, maxSockets: 1 });
          while (!stop && Date.now() < deadline) {
            const id = await getId(`${url}/hello`, agent);
            if (id === undefined) break;
            received.push(id);
          }
          agent.destroy();
        };
        const clients = Array.from({ length: 16 }, client);
        await new Promise((r) => setTimeout(r, 700));
        expect(received.length).toBeGreaterThan(50);
        child.kill('SIGTERM');
        // a load balancer stops sending soon after SIGTERM; until then requests keep arriving
        setTimeout(() => (stop = true), 1500);
        await Promise.all(clients);
        expect(await exited).toBe(0);
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
