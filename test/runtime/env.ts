/**
 * The env every runtime target is started with: process env for Node/Bun/Deno, Miniflare bindings
 * for workerd, `createDemoApp({ env })` in process. Add the variables your battery needs here
 * (one line each, with a comment naming the case file that relies on it).
 */
export const targetEnv: Record<string, string> = {
  ENVIRONMENT: 'DEVELOPMENT',
  LOG_LEVEL: 'ERROR',
  // cases/core.ts sends a body just over this limit and expects 413
  MAX_BODY_BYTES: '4096',
  // cases/security.ts: the demo's /secure routes (it also sets AUTH_PROVIDER_DOMAIN and
  // AUTH_PROVIDER_JWKS_URL to a loopback JWKS server it starts when imported)
  ACCEPTED_API_KEY: 'runtime-api-key',
  HS_KEY: 'runtime-hs-key-0123456789abcdef',
  PROXY_URL: 'http://localhost:8080',
  AUTH_PROVIDER_AUDIENCE: 'runtime-api',
  // cases/security.ts: an unknown kid refetches the key set at once (it switches the endpoint off to see 503)
  JWKS_COOLDOWN_SECONDS: '0',
};
