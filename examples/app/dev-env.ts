/**
 * Safe development settings for running the demo by hand (`npm start`, `bun`, `deno`): applied
 * only when ENVIRONMENT is unset, so a real deployment (which sets it) never gets them.
 * Returns the names it filled in. Other batteries add their keys to DEV_DEFAULTS.
 */
export const DEV_DEFAULTS: Record<string, string> = {
  ENVIRONMENT: 'DEVELOPMENT',
  // the demo's /secure routes (mint a token they accept with: npm run -s token -- --scope read:patient)
  ACCEPTED_API_KEY: 'dev-api-key',
  HS_KEY: 'dev-hs-key-not-for-production',
  PROXY_URL: 'http://localhost:8080',
};

export function developmentDefaults(env: Record<string, string | undefined>): string[] {
  if (env.ENVIRONMENT !== undefined) return [];
  const filled: string[] = [];
  for (const [name, value] of Object.entries(DEV_DEFAULTS)) {
    if (env[name] === undefined) {
      env[name] = value;
      filled.push(`${name}=${value}`);
    }
  }
  return filled;
}
