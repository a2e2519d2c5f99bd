/**
 * A second SIGTERM or SIGINT while the server drains (Ctrl-C under `npm start` delivers SIGINT
 * twice: the terminal's to the process group and npm's relay) must not cut the drain short: on
 * Node, Bun and Deno the requests in flight still get their answer and their log line, and the
 * process exits 0.
 */
import { describe, expect, it } from 'vitest';
import { DRAIN_SERVERS, get, loggedStatuses, sleep, spawnDrainServer } from './drain-process.ts';

const cases = Object.keys(DRAIN_SERVERS).flatMap((runtime) => [
  [runtime, 'SIGTERM'],
  [runtime, 'SIGINT'],
]) as [string, NodeJS.Signals][];

describe('a repeated signal while draining', () => {
  it.each(cases)(
    '%s: 4 slow requests in flight, %s twice 250 ms apart: every one answered 200 and logged once, exit 0',
    async (runtime, signal) => {
      const server = spawnDrainServer(runtime);
      try {
        const url = await server.ready;
        const inFlight = Array.from({ length: 4 }, () => get(`${url}/slow?ms=1500`));
        await sleep(300);
        server.child.kill(signal);
        await sleep(250);
        server.child.kill(signal);
        const answers = await Promise.all(inFlight);
        expect(answers, server.stderr()).toEqual(Array(4).fill({ status: 200 }));
        expect(await server.exited, server.stderr()).toBe(0);
        expect(loggedStatuses(server.stdout())).toEqual([200, 200, 200, 200]);
        // the repeat is said once, not silently swallowed
        expect(server.stderr().match(/shutdown already in progress/g)).toHaveLength(1);
      } finally {
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
      }
    },
    60_000,
  );
});
