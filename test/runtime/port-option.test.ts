/**
 * The port a server is asked for: a `PORT` that is not a port is named before the app starts, and
 * a port one of our servers already holds is refused to a second one on every runtime (Bun's
 * `development: false` would otherwise turn SO_REUSEPORT on, and two servers would share the port,
 * each getting some of the connections).
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { DRAIN_SERVERS, spawnDrainServer } from './drain-process.ts';

const runtimes = Object.keys(DRAIN_SERVERS);

describe('serve: the port', () => {
  it.each(runtimes)(
    '%s: a PORT that is not a port is refused, naming PORT, and nothing listens',
    async (runtime) => {
      for (const bad of ['abc', '70000', '80.5']) {
        const server = spawnDrainServer(runtime, { DRAIN_PORT: bad });
        try {
          const code = await server.exited;
          expect(server.stderr(), bad).toContain(`port must be an integer from 0 to 65535 (PORT), not "${bad}"`);
          expect(code, bad).not.toBe(0);
          expect(server.stderr(), bad).not.toMatch(/READY/);
        } finally {
          if (server.child.exitCode === null) server.child.kill('SIGKILL');
        }
      }
    },
    90_000,
  );

  it.each(runtimes)(
    '%s: a second server on the port the first one holds is refused',
    async (runtime) => {
      const port = String(await freePort());
      const first = spawnDrainServer(runtime, { DRAIN_PORT: port });
      let second: ReturnType<typeof spawnDrainServer> | undefined;
      try {
        expect(await first.ready).toBe(`http://127.0.0.1:${port}`);
        second = spawnDrainServer(runtime, { DRAIN_PORT: port });
        const code = await second.exited;
        expect(second.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use: choose another (PORT)`);
        expect(code).not.toBe(0);
      } finally {
        first.child.kill('SIGKILL');
        if (second !== undefined && second.child.exitCode === null) second.child.kill('SIGKILL');
      }
    },
    90_000,
  );
});
