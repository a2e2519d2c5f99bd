import type { App } from '../src/index.ts';
/**
 * A benchmark scenario: one kind of request, served the same way by several implementations
 * (ours, Hono, a bare itty-router handler...). `bench/run.ts` measures each target in process
 * (ns/op) and over HTTP on loopback (req/s), side by side, and writes bench/RESULTS.md.
 * Each scenario lives in its own file under bench/scenarios/ and default-exports a Scenario.
 */
export interface BenchTarget {
  /** e.g. 'fetch-batteries', 'hono', 'itty-router (bare)'. */
  name: string;
  fetch: (request: Request) => Response | Promise<Response>;
  /** A fetch-batteries app: served over HTTP through its runtime's adapter (`serve`), as deployed. */
  app?: App;
  close?: () => Promise<void>;
}

export interface BenchRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario {
  /** Short id: 'plain-json', 'validated-post', 'jwt-repeated', 'db-read'... */
  name: string;
  description: string;
  request: BenchRequest;
  /** The status every target must answer (checked before measuring). */
  expectStatus: number;
  /** Builds the targets; called once per run. */
  targets: () => Promise<BenchTarget[]>;
}

/**
 * The headers an in-process Request carries: the scenario's, plus the Content-Length every client
 * sends with a fixed body (wrk adds it itself over HTTP). Without it a hand-made Request would time
 * the streaming body reader, which a served request with a declared length never takes.
 */
export function inProcessHeaders(r: BenchRequest): Record<string, string> {
  const headers = { ...r.headers };
  if (r.body !== undefined) headers['content-length'] = String(new TextEncoder().encode(r.body).byteLength);
  return headers;
}
