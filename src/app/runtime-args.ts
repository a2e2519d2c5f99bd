/** A Workers `env` is a plain object; Bun's `server`, Deno's `info` and node-server's bindings are not env. */
export function workersEnv(arg: unknown): Record<string, unknown> | undefined {
  if (arg === null || typeof arg !== 'object') return undefined;
  const proto = Object.getPrototypeOf(arg);
  if (proto !== Object.prototype && proto !== null) return undefined;
  if ('remoteAddr' in arg || 'incoming' in arg || 'completed' in arg) return undefined;
  return arg as Record<string, unknown>;
}

/** Workers' `ExecutionContext` (anything with `waitUntil`), when the runtime passed one. */
export function executionContext(arg: unknown): { waitUntil(p: Promise<unknown>): void } | undefined {
  if (arg !== null && typeof arg === 'object' && typeof (arg as { waitUntil?: unknown }).waitUntil === 'function') {
    return arg as { waitUntil(p: Promise<unknown>): void };
  }
  return undefined;
}
