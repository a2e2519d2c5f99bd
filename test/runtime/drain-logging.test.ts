/**
 * What a drain leaves in the log: on Deno, each request refused with 503 while in-flight ones
 * finish has its request log line, like any response.
 */
import { describe, expect, it } from 'vitest';
import { get, loggedStatuses, sleep, spawnDrainServer } from './drain-process.ts';

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
});
