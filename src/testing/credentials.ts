import { testingCredentials } from '../kernel/config/testing.ts';
import { type InternalTokenOptions, mintInternalToken } from './jwt.ts';

/** An app (or anything with its validated `config`): the helpers read the values it really runs with. */
export interface ConfiguredApp {
  readonly config?: { readonly env?: Readonly<Record<string, string>> } | undefined;
}

const envOf = (app: ConfiguredApp | undefined): Readonly<Record<string, string>> => app?.config?.env ?? {};

/**
 * The `X-Api-Key` header an `@ApiKey()` route accepts: the key `createApp({ testing: true })` made
 * up, or the app's own ACCEPTED_API_KEY when you pass the app (or a key).
 * @example const res = await testRequest(app, '/machine', { headers: apiKeyHeaders() });
 */
export function apiKeyHeaders(keyOrApp?: string | ConfiguredApp): Record<string, string> {
  const key = typeof keyOrApp === 'string' ? keyOrApp : (envOf(keyOrApp).ACCEPTED_API_KEY ?? testingCredentials().ACCEPTED_API_KEY);
  return { 'x-api-key': key };
}

export interface TestTokenOptions extends Omit<InternalTokenOptions, 'key' | 'issuer'> {
  /** Sign for this app: its HS_KEY and issuer (HS_ISSUER, or PROXY_URL + '/'), whether set or made up. */
  app?: ConfiguredApp;
  /** Overrides the key (default: the app's HS_KEY, else the testing one). */
  key?: string;
  /** Overrides the issuer. */
  issuer?: string;
}

/**
 * A bearer token from the internal issuer that an app built with `createApp({ testing: true })`
 * accepts, with no secret in the test. When the env sets HS_KEY or PROXY_URL itself, pass `app`.
 * @example const token = await mintToken({ scopes: ['read:patient'], metadata: { patient_id: 'p1' } });
 */
export function mintToken(options: TestTokenOptions = {}): Promise<string> {
  const { app, key, issuer, ...rest } = options;
  const env = envOf(app);
  const proxy = env.PROXY_URL?.trim();
  const appIssuer = env.HS_ISSUER?.trim() || (proxy ? `${proxy.replace(/\/+$/, '')}/` : undefined);
  return mintInternalToken({
    ...rest,
    key: key ?? env.HS_KEY?.trim() ?? testingCredentials().HS_KEY,
    issuer: issuer ?? appIssuer ?? testingCredentials().HS_ISSUER,
  });
}

/**
 * The `Authorization` header for a bearer token.
 * @example await testRequest(app, '/reports', { headers: bearer(await mintToken({ scopes: ['read:report'] })) });
 */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
