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

/** Per app fetch: the handler that answers a request 503 "shutting down" through the app, logged and counted. */
const REFUSERS = Symbol.for('fetch-batteries.refusers');
const refusers: WeakMap<Function, SyncHandler> = ((globalThis as Record<symbol, unknown>)[REFUSERS] ??= new WeakMap()) as WeakMap<
  Function,
  SyncHandler
>;

/**
 * How an app refuses a request while its server drains (the app itself is not closed yet), or
 * undefined for a fetch function that is not an app's.
 */
export function refusingHandler(fetch: Function): SyncHandler | undefined {
  return refusers.get(fetch);
}

/** A Promise-returning fetch over a synchronous-when-possible handler, registered for `syncHandler` (and `refusingHandler`). */
export function asFetch(handle: SyncHandler, refuse?: SyncHandler): (request: Request, env?: unknown, ctx?: unknown) => Promise<Response> {
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
  if (refuse !== undefined) refusers.set(fetch, refuse);
  return fetch;
}
