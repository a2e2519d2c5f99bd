/**
 * What a drain leaves in the log: on Deno, each request refused with 503 while in-flight ones
 * finish has its request log line, like any response; and requests still running when
 * shutdownTimeoutMs cuts them off are named in one WARN (Node, Bun, Deno).
 */
import { describe, expect, it } from 'vitest';
import { DRAIN_SERVERS, get, loggedStatuses, sleep, spawnDrainServer } from './drain-process.ts';

describe('the log of a drain', () => {
  it('deno: 5 requests arriving while 5 drain are answered 503, and every response has one log line', async () => {
    const server = spawnDrainServer('deno');
    try {
      const url = await server.ready;
      const inFlight = Array.from({ length: 5 }, () => get(`${url}/slow?ms=1500`));
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(300);
      const late = await Promise.all(Array.from({ length: 5 }, () => get(`${url}/slow?ms=0`)));
      const answers = [...(await Promise.all(inFlight)), ...late];
      expect(answers, server.stderr()).toEqual([...Array(5).fill({ status: 200 }), ...Array(5).fill({ status: 503 })]);
      expect(await server.exited, server.stderr()).toBe(0);
      expect(loggedStatuses(server.stdout()).sort()).toEqual([...Array(5).fill(200), ...Array(5).fill(503)]);
      // refusing a request during a deploy is not an error
      expect(server.stdout()).not.toMatch(/"severity":"ERROR"/);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 60_000);

  it.each(Object.keys(DRAIN_SERVERS))(
    '%s: 3 requests still running when shutdownTimeoutMs (500 ms) passes: one WARN says 3 were cut off',
    async (runtime) => {
      const server = spawnDrainServer(runtime, { DRAIN_TIMEOUT_MS: '500' });
      try {
        const url = await server.ready;
        const inFlight = Array.from({ length: 3 }, () => get(`${url}/slow?ms=20000`));
        await sleep(300);
        server.child.kill('SIGTERM');
        await server.exited;
        const answers = await Promise.all(inFlight);
        expect(answers.every((a) => a.status === undefined)).toBe(true);
        const warnings = server.stderr().match(/.*cut off.*/g);
        expect(warnings, server.stderr()).toEqual([
          'fetch-batteries: WARN shutdownTimeoutMs (500 ms) passed: 3 request(s) still in flight cut off',
        ]);
      } finally {
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
      }
    },
    60_000,
  );

  it('node: a drain that finishes in time warns of nothing', async () => {
    const server = spawnDrainServer('node', { DRAIN_TIMEOUT_MS: '5000' });
    try {
      const url = await server.ready;
      const inFlight = get(`${url}/slow?ms=500`);
      await sleep(200);
      server.child.kill('SIGTERM');
      expect(await inFlight).toEqual({ status: 200 });
      expect(await server.exited).toBe(0);
      expect(server.stderr()).not.toMatch(/cut off/);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 60_000);
});
