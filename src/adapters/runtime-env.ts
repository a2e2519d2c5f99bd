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
