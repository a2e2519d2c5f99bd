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
