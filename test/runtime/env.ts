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
};
