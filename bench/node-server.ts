/**
 * `npx tsx bench/node-server.ts [--only plain-json,validated-post] [--requests 100000]`
 * Each target's user-space cost per request through @hono/node-server's real request listener,
 * with no socket: the listener is handed stand-in IncomingMessage/ServerResponse objects (a
 * Readable with the request's headers and body, and a response that records what is written).
 * The kernel's loopback path, Node's HTTP parser and header serialisation are left out, so this
 * measures what the framework and node-server do, and it is steady on a shared machine where the
 * wire numbers of `bench/run.ts` swing by a third between runs. Every target runs in its own
 * process (so no target's code shapes another's inline caches); the fastest of 5 rounds is kept.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import { syncHandler } from '../src/app/sync-handler.ts';
import type { BenchRequest, Scenario } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    requests: { type: 'string', default: '100000' },
    // internal: run one target in this process
    scenario: { type: 'string' },
    target: { type: 'string' },
  },
});
const root = new URL('../', import.meta.url).pathname;
const ROUNDS = 6;

/** The parts of ServerResponse that node-server's writers use. */
class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  writable = true;
  destroyed = false;
  writableFinished = false;
  _contentLength: number | null = null;
  _hasBody = true;
  useChunkedEncodingByDefault = true;
  _removedContLen = false;
  done: () => void = () => {};
  private readonly listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  on(event: string, fn: (...a: unknown[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: (...a: unknown[]) => void) {
    return this.on(event, fn);
  }
  off() {
    return this;
  }
  hasHeader() {
    return false;
  }
  writeHead(status: number) {
    this.statusCode = status;
    this.headersSent = true;
  }
  write() {
    return true;
  }
  end() {
    this.writableFinished = true;
    for (const fn of this.listeners.get('finish') ?? []) fn();
    for (const fn of this.listeners.get('close') ?? []) fn();
    this.done();
  }
  flushHeaders() {}
  destroy() {
    this.destroyed = true;
  }
}

function incoming(r: BenchRequest): Readable {
  const headers: Record<string, string> = { host: 'bench.local', 'user-agent': 'bench', ...(r.headers ?? {}) };
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  if (body !== undefined) headers['content-length'] = String(body.length);
  const rawHeaders = Object.entries(headers).flat();
  const stream = new Readable({ read() {} });
  if (body !== undefined) stream.push(body);
  stream.push(null);
  return Object.assign(stream, {
    method: r.method,
    url: r.path,
    headers,
    rawHeaders,
    httpVersion: '1.1',
    complete: true,
    socket: { remoteAddress: '127.0.0.1', encrypted: false },
  });
}

async function runOne(scenarioFile: string, targetName: string, n: number): Promise<number> {
  const scenario = (await import(new URL(`../${scenarioFile}`, import.meta.url).href)).default as Scenario;
  const target = (await scenario.targets()).find((t) => t.name === targetName);
  if (!target) throw new Error(`no target ${targetName}`);
  // what fetch-batteries/node's serve() hands node-server
  const listener = getRequestListener(syncHandler(target.fetch) as never);
  const once = () => {
    const res = new RecordingResponse();
    const finished = new Promise<void>((resolve) => (res.done = resolve));
    listener(incoming(scenario.request) as never, res as never);
    return finished.then(() => res.statusCode);
  };
  const status = await once();
  if (status !== scenario.expectStatus) throw new Error(`${targetName} answered ${status}`);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await once();
    const ns = Number(process.hrtime.bigint() - start) / n;
    // the first round warms the JIT
    if (round > 0) best = Math.min(best, ns);
  }
  await target.close?.();
  return best;
}

if (args.scenario !== undefined && args.target !== undefined) {
  process.stdout.write(`${(await runOne(args.scenario, args.target, Number(args.requests))).toFixed(0)}\n`);
  process.exit(0);
}

const only = args.only?.split(',').map((s) => s.trim()) ?? ['plain-json', 'validated-post'];
const files = readdirSync(join(root, 'bench/scenarios'))
  .filter((f) => f.endsWith('.ts') && only.includes(f.replace(/\.ts$/, '')))
  .sort();
const lines = ['| scenario | target | ns/op through node-server (no socket) |', '| --- | --- | --- |'];
for (const file of files) {
  const scenarioFile = `bench/scenarios/${file}`;
  const scenario = (await import(new URL(`../${scenarioFile}`, import.meta.url).href)).default as Scenario;
  for (const target of await scenario.targets()) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'bench/node-server.ts', '--scenario', scenarioFile, '--target', target.name, '--requests', args.requests],
      { cwd: root, encoding: 'utf8', env: process.env },
    ).trim();
    process.stderr.write(`${scenario.name} / ${target.name}: ${out} ns/op\n`);
    lines.push(`| ${scenario.name} | ${target.name} | ${Number(out).toLocaleString('en-US')} |`);
    await target.close?.();
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
