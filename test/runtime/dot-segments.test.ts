import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureRuntime, type FixtureServer, raw, startFixture } from './raw-http.ts';
import { stopChild } from './targets.ts';

const FIXTURE = 'test/runtime/fixtures/dot-segments-server.ts';
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

// Deno hands the request target over as sent (curl --path-as-is); Node and Bun resolve `.` and `..`
// first. Every runtime must route a path the same way, so each answers the same here.
describe.each<FixtureRuntime>(['deno', 'node', 'bun'])('%s: dot segments in the request target', (runtime) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixture(runtime, FIXTURE);
  }, 60_000);
  afterAll(() => stopChild(server.child));

  it.each([
    ['/patients/p2/../p1', 'p1'],
    ['/patients/./p1', 'p1'],
    ['/../patients/p1', 'p1'],
    ['/patients/p2/%2e%2E/p1', 'p1'],
    ['/patients/p2/.%2e/p1', 'p1'],
    ['/patients/%2e/p1', 'p1'],
  ])('routes %s to patient %s', async (path, id) => {
    expect(await raw(server.port, get(path))).toEqual({ status: 200, body: JSON.stringify({ patient_id: id }) });
  });

  it('resolves them before a :path+ parameter is cut, and leaves names that only start with a dot alone', async () => {
    const body = async (path: string) => JSON.parse((await raw(server.port, get(path))).body);
    expect(await body('/patients/p1/files/a/../b')).toEqual({ patient_id: 'p1', path: 'b' });
    expect(await body('/patients/p1/files/a/./b/%2E%2e/c')).toEqual({ patient_id: 'p1', path: 'a/c' });
    expect(await body('/patients/p1/files/.well-known/..x')).toEqual({ patient_id: 'p1', path: '.well-known/..x' });
  });
});
