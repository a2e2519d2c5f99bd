import { installPlatform, type Platform } from '../kernel/platform.ts';
import { onProcessExit, onWorkers, stdoutSink } from './stdout-sink.ts';

// The runtime side of the kernel's platform port, found through globals only: the portable entry
// (`fetch-batteries`) loads this file on every runtime, Workers included, so it has no `node:` import.

/**
 * The runtime's environment, read where each runtime keeps it: `process.env` on Node and Bun,
 * `Deno.env` on Deno (needs --allow-env). `undefined` on Workers, whose env arrives with each request.
 */
export function runtimeEnv(): Record<string, string | undefined> | undefined {
  const g = globalThis as {
    Deno?: { env?: { toObject(): Record<string, string> } };
    process?: { env?: Record<string, string | undefined> };
  };
  if (g.Deno?.env) {
    try {
      return g.Deno.env.toObject();
    } catch {
      // no --allow-env: behave as if the environment were empty
      return {};
    }
  }
  const env = g.process?.env;
  // workerd with nodejs_compat has a process object whose env is empty unless populated
  if (env && Object.keys(env).length > 0) return env;
  return undefined;
}

interface FileGlobals {
  Deno?: {
    readTextFileSync?(path: string): string;
    permissions?: { querySync?(descriptor: { name: 'read'; path: string }): { state: string } };
  };
  Bun?: { file?(path: string): { size: number } };
  process?: { getBuiltinModule?(id: string): unknown };
}

/**
 * A small text file's contents, read synchronously where a file system exists, through globals
 * only (no `node:` import, see above): `Deno.readTextFileSync` on Deno,
 * `process.getBuiltinModule('node:fs')` on Node (≥ 20.16) and Bun. `undefined` on Workers, on
 * older Node, without permission, or on any error (a missing file is the usual case), and on Bun
 * for an empty file. For start-up.
 * @example readTextFile('/app/build-githash.txt'); // '366c204\n' or undefined
 */
export function readTextFile(path: string): string | undefined {
  const g = globalThis as FileGlobals;
  try {
    const deno = g.Deno;
    if (typeof deno?.readTextFileSync === 'function') {
      // without --allow-read Deno would prompt on a terminal: only read what is granted already
      const state = deno.permissions?.querySync?.({ name: 'read', path }).state;
      if (state !== undefined && state !== 'granted') return undefined;
      return deno.readTextFileSync(path);
    }
    // Bun knows a file's size without node:fs, whose first load costs Bun ~2 ms of start-up: a missing
    // (size 0), or empty, file has nothing to read
    const bun = g.Bun;
    if (typeof bun?.file === 'function' && bun.file(path).size === 0) return undefined;
    const fs = g.process?.getBuiltinModule?.('node:fs') as
      | { readFileSync?(path: string, encoding: 'utf8'): string; existsSync?(path: string): boolean }
      | undefined;
    if (typeof fs?.readFileSync !== 'function') return undefined;
    // a missing file, the usual case, answered without an exception: Node's first ENOENT costs ~3 ms of start-up
    if (typeof fs.existsSync === 'function' && !fs.existsSync(path)) return undefined;
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether this runtime's `Response` constructor converts a headers record slowly, so a response
 * is better built with its content type alone and the other headers set afterwards. True on
 * Deno: six headers in the constructor cost it 5–10 µs, the same six set one by one 1–3 µs.
 * Node's undici and Bun are the other way round.
 */
export function headersInitIsSlow(): boolean {
  return onDeno();
}

/**
 * Whether this runtime takes any Host header into `request.url` unchecked: Deno does
 * (`Host: x/secure` turns `/key` into `http://x/secure/key`). On Node, @hono/node-server (so
 * `serve` from fetch-batteries/node) answers 400 to a malformed Host, though `node:http` itself
 * does not; Bun leaves the origin out of the URL; Cloudflare builds the URL itself.
 */
export function hostUnchecked(): boolean {
  return onDeno();
}

function onDeno(): boolean {
  return typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === 'object';
}

/** This runtime's platform: what the kernel's `platform()` answers once the app layer has loaded. */
export const runtimePlatform: Platform = {
  env: runtimeEnv,
  readTextFile,
  stdoutSink,
  onProcessExit,
  onWorkers,
  headersInitIsSlow: headersInitIsSlow(),
  hostUnchecked: hostUnchecked(),
};

installPlatform(runtimePlatform);
