import { defaultBatteries } from './batteries.ts';
import { type App, buildApp, type Fallback } from './create-app.ts';
import type { AppOptions } from './options.ts';
import type { AppBattery } from './runtime.ts';

/** Anything with a fetch-style handler: an itty-router, a Hono app, a bare function. */
// `never[]` accepts Hono's, itty's and any other typing of the extra (env, ctx) arguments
export type FetchHandler =
  | ((request: Request, ...rest: never[]) => Response | Promise<Response>)
  | { fetch(request: Request, ...rest: never[]): Response | Promise<Response> };

/**
 * Wraps an existing fetch handler with the batteries: monitoring routes, metrics, request id,
 * Server-Timing and no-cache headers, the error mapper and the request log (the Python
 * `fbi_augment_app(app)`). Requests the batteries do not serve go to the handler unchanged.
 * @example
 * const hono = new Hono().get('/hi', (c) => c.json({ hi: true }));
 * export default augmentApp(hono, { title: 'Legacy' });
 */
export function augmentApp(handler: FetchHandler, options: AppOptions = {}, batteries: AppBattery[] = defaultBatteries()): App {
  const target = (typeof handler === 'function' ? handler : handler.fetch.bind(handler)) as Fallback;
  if (typeof target !== 'function') throw new TypeError('augmentApp needs a function or an object with a fetch method');
  return buildApp(options, batteries, target);
}
