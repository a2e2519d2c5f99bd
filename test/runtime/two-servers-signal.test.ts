/**
 * Two servers in one process (an API and an admin port): SIGTERM drains both before the process
 * exits. Before, the first server to finish draining (the idle one) exited the process and cut the
 * other's request in flight: an empty reply, no log line.
 */
import { describe, expect, it } from 'vitest';
import { DRAIN_SERVERS, get, loggedStatuses, sleep, spawnDrainServer } from './drain-process.ts';

describe.each(Object.keys(DRAIN_SERVERS))('%s: SIGTERM with two servers in the process', (runtime) => {
  it('the busy server finishes its request in flight, logs it, and the process exits 0', async () => {
    const server = spawnDrainServer(runtime, { DRAIN_SECOND: '1' });
    try {
      await server.ready;
      for (let i = 0; i < 200 && !/SECOND (\S+)/.test(server.stderr()); i++) await sleep(50);
      const second = /SECOND (\S+)/.exec(server.stderr())?.[1];
      expect(second).toBeDefined();
      const inFlight = get(`${second}/slow?ms=1500`);
      await sleep(400);
      server.child.kill('SIGTERM');
      expect(await inFlight).toEqual({ status: 200 });
      expect(await server.exited).toBe(0);
      expect(loggedStatuses(server.stdout())).toEqual([200]);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 60_000);
});
