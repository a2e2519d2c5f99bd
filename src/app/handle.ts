/**
 * The key, on an app's `fetch` function, of its synchronous-when-possible handler (`fetch`
 * without the promise wrapper). @hono/node-server writes a Response returned synchronously at
 * once; a promise costs it a close listener and a microtask hop per request. It sits on the
 * function itself, so a wrapper that replaces `fetch` can never be bypassed by it. A registered
 * symbol, so two copies of the package (source and dist) agree on it.
 */
export const HANDLE: unique symbol = Symbol.for('fetch-batteries.handle');

export type SyncHandler = (request: Request, env?: unknown, ctx?: unknown) => Response | Promise<Response>;

/** The synchronous-when-possible handler behind a fetch function, or the function itself. */
export function syncHandler<F extends SyncHandler>(fetch: F): SyncHandler {
  const handle = (fetch as { [HANDLE]?: SyncHandler })[HANDLE];
  return typeof handle === 'function' ? handle : fetch;
}

/** A Promise-returning fetch over a synchronous-when-possible handler, carrying it under HANDLE. */
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
  Object.defineProperty(fetch, HANDLE, { value: handle });
  return fetch;
}
