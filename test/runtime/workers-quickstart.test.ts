/**
 * The Workers quick start as documented: wrangler.toml's [vars] plus .dev.vars.example (what
 * `cp .dev.vars.example .dev.vars && npx wrangler dev` binds), nothing else, in workerd (Miniflare,
 * no nodejs_compat). Every route must answer; with the example's placeholder Neon URL the
 * database is unreachable, so /healthcheck says so with 503, never a 500.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker } from './targets.ts';

const dir = fileURLToPath(new URL('../../examples/workers/', import.meta.url));

/** `KEY = "value"` lines of wrangler.toml's [vars] table. */
function wranglerVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const line of readFileSync(`${dir}wrangler.toml`, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) inVars = trimmed === '[vars]';
    const m = /^([A-Z0-9_]+)\s*=\s*"([^"]*)"/.exec(trimmed);
    if (inVars && m) vars[m[1]] = m[2];
  }
  return vars;
}

/** `KEY=value` lines of .dev.vars.example, comments skipped. */
function devVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(`${dir}.dev.vars.example`, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

describe('Workers quick start (examples/workers)', () => {
  let mf: Miniflare;
  let output = '';
  beforeAll(async () => {
    mf = new Miniflare({
      modules: [{ type: 'ESModule', path: `${dir}worker.mjs`, contents: await bundleWorker() }],
      compatibilityDate: '2025-09-01',
      bindings: { ...wranglerVars(), ...devVars() },
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.on('data', (d: Buffer) => (output += d));
        stderr.on('data', (d: Buffer) => (output += d));
      },
    });
    await mf.ready;
  }, 60_000);
  afterAll(() => mf?.dispose());

  it('lists the variables it needs in .dev.vars.example', () => {
    expect(Object.keys(devVars()).sort()).toEqual(['ACCEPTED_API_KEY', 'DATABASE_URL', 'HS_KEY']);
  });

  it('answers /running and /hello with only the documented variables', async () => {
    const running = await mf.dispatchFetch('http://localhost:8787/running');
    expect(running.status, output).toBe(200);
    expect(await running.json()).toEqual({ running: true });
    const hello = await mf.dispatchFetch('http://localhost:8787/hello');
    expect(hello.status, output).toBe(200);
    expect(output).not.toMatch(/Invalid configuration/);
  });

  it('answers the /secure API key route with the example key', async () => {
    const res = await mf.dispatchFetch('http://localhost:8787/secure/key', { headers: { 'x-api-key': devVars().ACCEPTED_API_KEY } });
    expect(res.status).toBe(200);
  });

  it('reports the placeholder database as unreachable: 503, not 500', async () => {
    const res = await mf.dispatchFetch('http://localhost:8787/healthcheck');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('fail');
  }, 30_000);

  it('answers a database route with the placeholder database 503, not 500 "Query error"', async () => {
    // workerd rejects the WebSocket to a host it cannot resolve with a bare ErrorEvent, no Error
    const res = await mf.dispatchFetch('http://localhost:8787/patients');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Database connection failed: Service unavailable' });
  }, 30_000);
});
