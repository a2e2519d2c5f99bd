import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { asFetch, type SyncHandler, syncHandler } from '../app/sync-handler.ts';
import { pathOf, validHost } from '../kernel/request-url.ts';

/** The path `withDocsAssets` serves by default: pass it as `createApp({ docs: { assetsUrl } })`. */
export const LOCAL_DOCS_ASSETS = '/docs/assets';

/** A fetch-style handler: `app.fetch`, or anything with the same shape. */
export type FetchFunction = (request: Request, env?: unknown, ctx?: unknown) => Response | Promise<Response>;

// Only these files are served (no path is ever joined from the URL): what the /docs page loads.
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

/** The installed `swagger-ui-dist` folder; a clear error when the package is missing. */
export function swaggerUiDistDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    throw new Error('withDocsAssets needs the swagger-ui-dist package: npm install swagger-ui-dist');
  }
}

export interface DocsAssetsOptions {
  /** URL path the files are served under (default `/docs/assets`). */
  prefix?: string;
  /** Folder holding the files (default: the installed `swagger-ui-dist`). */
  dir?: string;
}

/** An app (or anything with a fetch-style `fetch`): `serve(withDocsAssets(app))` keeps its `close()`. */
export interface HasFetch {
  fetch: FetchFunction;
}

type WrappedFetch = (request: Request, env?: unknown, ctx?: unknown) => Promise<Response>;

/**
 * Serves Swagger UI's files from `node_modules` in front of a fetch handler, so `/docs` works
 * offline on Node, Bun and Deno. `serve()` from fetch-batteries/node, /bun and /deno adds it
 * already; this is for other servers. Other requests go to the handler untouched. Given an app,
 * returns the same app with only `fetch` replaced.
 * @example
 * Bun.serve({ port: 8080, fetch: withDocsAssets(app.fetch) });
 */
export function withDocsAssets(handler: FetchFunction, options?: DocsAssetsOptions): WrappedFetch;
export function withDocsAssets<A extends HasFetch>(app: A, options?: DocsAssetsOptions): A;
export function withDocsAssets(target: FetchFunction | HasFetch, options: DocsAssetsOptions = {}): WrappedFetch | HasFetch {
  if (typeof target === 'function') return assetsFetch(syncHandler(target), options);
  // the app's getters and methods close over its own state, so a child object keeps them working
  const wrapped = Object.create(target) as HasFetch;
  const inner = target.fetch;
  // keep the app's synchronous handler (see src/app/sync-handler.ts): a bound copy would drop it
  const handle = syncHandler(inner);
  wrapped.fetch = assetsFetch(handle === inner ? inner.bind(target) : handle, options);
  return wrapped;
}

function assetsFetch(handler: SyncHandler, options: DocsAssetsOptions): WrappedFetch {
  const prefix = `${(options.prefix ?? LOCAL_DOCS_ASSETS).replace(/\/+$/, '')}/`;
  const dir = options.dir ?? swaggerUiDistDir();
  const cache = new Map<string, Promise<Uint8Array>>();
  const asset = async (name: string, method: string): Promise<Response> => {
    let bytes = cache.get(name);
    if (bytes === undefined) {
      bytes = readFile(join(dir, name));
      cache.set(name, bytes);
      bytes.catch(() => cache.delete(name));
    }
    try {
      const body = await bytes;
      const headers = {
        'content-type': FILES[name],
        'content-length': String(body.byteLength),
        'cache-control': 'public, max-age=86400',
      };
      return new Response(method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers });
    } catch {
      return new Response(JSON.stringify({ message: 'Docs asset not available' }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    }
  };
  return asFetch((request, env, ctx) => {
    const method = request.method;
    // a substring test first keeps URL parsing off every other request
    if ((method === 'GET' || method === 'HEAD') && request.url.includes(prefix)) {
      // a malformed Host goes on to the app, which answers 400 (and logs it); a relative URL (Bun) is fine
      const pathname = validHost(request.headers.get('host')) ? pathOf(request.url) : '';
      const name = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
      if (name !== undefined && Object.hasOwn(FILES, name)) return asset(name, method);
    }
    return handler(request, env, ctx);
  });
}
