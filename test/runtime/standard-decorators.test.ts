/**
 * A controller compiled as TypeScript compiles by default (TC39 standard decorators, esbuild, no
 * experimentalDecorators), served by real Node, Bun and Deno processes: the route answers, and the
 * same controller whose route decorator is not ours (a typo'd import) stops the process at
 * createApp with a message naming the class, instead of serving a silent 404.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { mintInternalToken } from '../../src/testing/index.ts';
import { compile, removeTemporaryModules, root, writeModule } from '../support/standard-build.ts';
import { freePort, stopChild } from './targets.ts';

const HS_KEY = 'standard-hs-key-0123456789abcdef';
const PROXY_URL = 'http://proxy.test';

const controller = (routeImport: string) => `
import { Controller, createApp, Param, Query, Scopes } from './src/index.ts';
${routeImport}

@Controller('/items')
class I {
  @Get('/:id', Param('id'), Query('q'))
  @Scopes('read:item')
  get(id: string, q?: string) {
    return { id, q };
  }
}

const app = createApp({ controllers: [I] });
declare const Bun: { serve(o: object): unknown } | undefined;
declare const Deno: { serve(o: object, h: unknown): unknown; env: { get(n: string): string } } | undefined;
const port = Number(typeof Deno !== 'undefined' ? Deno.env.get('PORT') : process.env.PORT);
if (typeof Bun !== 'undefined') Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch });
else if (typeof Deno !== 'undefined') Deno.serve({ port, hostname: '127.0.0.1' }, app.fetch);
else await (await import('./src/adapters/node.ts')).serve(app, { port, hostname: '127.0.0.1' });
`;

const RUNTIMES: Record<string, (file: string) => [string, string[]]> = {
  node: (file) => [process.execPath, [file]],
  bun: (file) => [`${root}node_modules/.bin/bun`, [file]],
  deno: (file) => [`${root}node_modules/.bin/deno`, ['run', '-A', '--no-config', file]],
};

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => stopChild(c)));
  removeTemporaryModules();
});

let built: Promise<{ serving: string; typo: string }> | undefined;
/** Both fixtures, compiled once: self-contained bundles, runnable by each runtime as they are. */
function fixtures() {
  built ??= (async () => {
    const [serving, typo] = await Promise.all([
      compile(controller("import { Get } from './src/index.ts';"), 'standard', true),
      // a route decorator from somewhere else: it does nothing, as a decorator written for the other mode would
      compile(controller('const Get = (..._args: unknown[]) => (..._target: unknown[]) => {};'), 'standard', true),
    ]);
    expect(serving).toContain('__decoratorStart'); // esbuild's standard-decorator helper: no legacy emit
    return { serving: writeModule(serving, 'items'), typo: writeModule(typo, 'items-typo') };
  })();
  return built;
}

function start(runtime: string, file: string, port: number) {
  const [command, args] = RUNTIMES[runtime](file);
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      PORT: String(port),
      HS_KEY,
      PROXY_URL,
      LOG_LEVEL: 'ERROR',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe.each(Object.keys(RUNTIMES))('standard decorators compiled by esbuild, served by %s', (runtime) => {
  it('answers GET /items/7?q=x with a valid token: 200 {"id":"7","q":"x"}', async () => {
    const { serving } = await fixtures();
    const port = await freePort();
    const server = start(runtime, serving, port);
    const url = `http://127.0.0.1:${port}/items/7?q=x`;
    let res: Response | undefined;
    for (let i = 0; i < 200 && !res; i++) {
      if (server.child.exitCode !== null) throw new Error(`${runtime} exited: ${server.output()}`);
      res = await fetch(url).catch(() => new Promise<undefined>((r) => setTimeout(r, 150)));
    }
    expect(res?.status, server.output()).toBe(401);
    const token = await mintInternalToken({ key: HS_KEY, issuer: `${PROXY_URL}/`, scopes: ['read:item'] });
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{"id":"7","q":"x"}');
    await stopChild(server.child);
  });

  it('stops at createApp naming the class when no route was registered', async () => {
    const { typo } = await fixtures();
    const server = start(runtime, typo, await freePort());
    const code = await server.exited;
    expect(code).not.toBe(0);
    expect(server.output()).toContain('I is a @Controller with no routes');
    expect(server.output()).toContain('experimentalDecorators');
  });
});
