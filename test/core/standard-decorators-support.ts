// Shared by the standard-decorator test files: the environment, a token for it, and the module
// prelude each compiled fixture starts with.
import { mintInternalToken } from '../../src/testing/index.ts';
import { type DecoratorMode, importCompiled } from '../support/standard-build.ts';

export const ENV = {
  ENVIRONMENT: 'TEST',
  HS_KEY: 'unit-hs-key-0123456789abcdef',
  PROXY_URL: 'http://proxy.test',
  ACCEPTED_API_KEY: 'unit-key',
};
export const token = (scopes: string[], claims: Record<string, unknown> = {}) =>
  mintInternalToken({ key: ENV.HS_KEY, issuer: 'http://proxy.test/', scopes, sub: 'user-1', metadata: claims });
export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

export const PRELUDE = `
import * as v from 'valibot';
import { createApp, Controller, Get, Post, Put, Patch, Delete, Param, Query, Body, Header, Ctx, User, Token, Db,
  Status, Returns, Tags, Deprecated, Doc, ApiKey, Secured, Scopes, match_keys, or_, scopes_present, field_in_path_matches_jwt_claim, sql } from './src/index.ts';
const ENV = ${JSON.stringify(ENV)};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
export const make = (controllers) => createApp({ env: ENV, testing: true, controllers, logger: quiet, database: true });
export const tryMake = (controllers) => { try { make(controllers); return 'accepted'; } catch (e) { return e.message; } };
`;

export type App = { fetch(r: Request): Promise<Response>; openapi(): Record<string, unknown>; close(): Promise<void> };
export type Fixture = { app: App; make(c: unknown[]): App; tryMake(c: unknown[]): string } & Record<string, unknown>;

export const call = (app: App, method: string, path: string, init: { headers?: Record<string, string>; json?: unknown } = {}) =>
  app.fetch(
    new Request(`http://test.local${path}`, {
      method,
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    }),
  );

/** Compiles a standard-mode snippet (after PRELUDE) and returns what createApp says about `controllers`. */
export async function refusal(body: string, controllers = 'C', mode: DecoratorMode = 'standard'): Promise<string> {
  const m = await importCompiled<Fixture>(`${PRELUDE}\n${body}\nexport const said = tryMake([${controllers}]);`, mode);
  return m.said as string;
}
