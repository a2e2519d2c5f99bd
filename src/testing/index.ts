// `fetch-batteries/testing`: helpers for tests that drive an app in process (other batteries add theirs here).

/** Anything with a web-standard `fetch`: an App, a Hono app, an itty-router. */
export interface FetchTarget {
  fetch(request: Request, ...rest: never[]): Response | Promise<Response>;
}

export interface TestRequestInit extends RequestInit {
  /** Sent as a JSON body with `content-type: application/json`. */
  json?: unknown;
}

/**
 * Sends one request to an app in process, with a placeholder origin.
 * @example
 * const res = await testRequest(app, '/patients', { method: 'POST', json: { first_name: 'Ada', last_name: 'Lovelace' } });
 * expect(res.status).toBe(201);
 */
export async function testRequest(app: FetchTarget, path: string, init: TestRequestInit = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const body = json === undefined ? rest.body : JSON.stringify(json);
  return app.fetch(new Request(new URL(path, 'http://test.local'), { ...rest, headers, body }));
}
// security: credentials for an app built with `testing: true` and tokens (the loopback JWKS server is in `fetch-batteries/testing/node`)
export { type TestingCredentials, testingCredentials } from '../kernel/config/testing.ts';
export { apiKeyHeaders, bearer, type ConfiguredApp, mintToken, type TestTokenOptions } from './credentials.ts';
export {
  createProviderKeys,
  encodeSegment,
  type InternalTokenOptions,
  mintInternalToken,
  mintProviderToken,
  type ProviderKeys,
  type ProviderTokenOptions,
  signRawHs,
} from './jwt.ts';
