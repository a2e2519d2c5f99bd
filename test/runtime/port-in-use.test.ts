/**
 * A port already taken: Node, Bun and Deno all say which port and what to do, with the same words,
 * and the process exits non-zero (Bun would print a code frame asking "Is port N in use?", Deno
 * "Address already in use" with no port).
 */
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { DRAIN_SERVERS, spawnDrainServer } from './drain-process.ts';

describe('serve on a port already in use', () => {
  it.each(Object.keys(DRAIN_SERVERS))(
    '%s: says "port N on 127.0.0.1 is already in use: choose another (PORT)" and exits non-zero',
    async (runtime) => {
      const port = await freePort();
      const holder: Server = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
      const server = spawnDrainServer(runtime, { DRAIN_PORT: String(port) });
      try {
        const code = await server.exited;
        expect(server.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use: choose another (PORT)`);
        expect(code).not.toBe(0);
        expect(server.stderr()).not.toMatch(/READY/);
      } finally {
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
        await new Promise((resolve) => holder.close(resolve));
      }
    },
    60_000,
  );
});
