/**
 * The synchronous-when-possible handler behind an app's `fetch` (`fetch` without the promise
 * wrapper). @hono/node-server writes a Response returned synchronously at once; a promise costs
 * it a close listener and a microtask hop per request.
 *
 * Kept in a WeakMap keyed by the exact fetch function: a wrapper that replaces `fetch`, or a
 * Proxy around it (a different object), finds nothing and is called as it is, so it can never be
 * bypassed. The map is shared through a registered symbol, so two copies of the package (source
 * and dist) agree on it.
 */
const REGISTRY = Symbol.for('fetch-batteries.handles');
const handles: WeakMap<Function, SyncHandler> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new WeakMap()) as WeakMap<
  Function,
  SyncHandler
>;

export type SyncHandler = (request: Request, env?: unknown, ctx?: unknown) => Response | Promise<Response>;

/** The synchronous-when-possible handler behind a fetch function, or the function itself. */
export function syncHandler<F extends SyncHandler>(fetch: F): SyncHandler {
  return handles.get(fetch) ?? fetch;
}

/** A Promise-returning fetch over a synchronous-when-possible handler, registered for `syncHandler`. */
export function asFetch(handle: SyncHandler): (request: Request, env?: unknown, ctx?: unknown) => Promise<Response> {
  const fetch = (request: Request, env?: unknown, ctx?: unknown): Promise<Response> => {
    try {
      const out = handle(request, env, ctx);
      return out instanceof Promise ? out : Promise.resolve(out);
    } catch (error) {
      // a fetch function rejects, it never throws
      return Promise.reject(error);
    }
  };
  handles.set(fetch, handle);
  return fetch;
}
