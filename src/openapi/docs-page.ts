import type { AnySchema } from '../kernel/definitions.ts';

/** Where `/docs` loads Swagger UI from when the server does not serve the files itself (and `docs.assetsUrl` is unset): needs internet. */
export const DEFAULT_DOCS_ASSETS = 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5';

/**
 * Where `/docs` looks first when `docs.assetsUrl` is unset, relative to the page: what `serve()`
 * from fetch-batteries/node, /bun and /deno (or `withDocsAssets`) answers from `swagger-ui-dist`.
 */
export const LOCAL_DOCS_ASSETS_PATH = 'docs/assets';

/** `createApp({ docs })`: `false` turns `/openapi.json` and `/docs` off. */
export interface DocsOptions {
  /**
   * Base URL of the `swagger-ui-dist` files (`swagger-ui.css`, `swagger-ui-bundle.js`). Unset, the
   * page loads them from the server itself (`/docs/assets`, served by `serve()` on Node, Bun and
   * Deno, or `withDocsAssets`) and falls back to a CDN (DEFAULT_DOCS_ASSETS) when it does not
   * answer them, as on Workers. Set, only this URL is tried: a CDN, or where you serve the files.
   */
  assetsUrl?: string;
  /**
   * Schemas to document once under `components.schemas.<name>` and reference by `$ref` wherever
   * a route uses that same schema object (as FastAPI names pydantic models).
   * @example docs: { schemas: { Patient, NewPatient } }
   */
  schemas?: Record<string, AnySchema>;
}

/** The `createApp` option the OpenAPI battery reads. */
export interface OpenApiBatteryOptions {
  /** OpenAPI: `/openapi.json` and `/docs` (default on unless `testing`). */
  docs?: boolean | DocsOptions;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The `/docs` page: Swagger UI reading `openapi.json` next to it. No inline script, so a strict
 * `script-src` CSP only needs the assets origin and `'self'`. URLs are relative so the page also
 * works behind a proxy that mounts the service under a prefix. Without an `assetsUrl` the page
 * tries the server's own copy first and the CDN second (`docs/init.js` does the fallback).
 */
export function docsPage(title: string, assetsUrl?: string): string {
  const t = escapeHtml(title);
  const base = escapeHtml((assetsUrl ?? LOCAL_DOCS_ASSETS_PATH).replace(/\/+$/, ''));
  const fallback = assetsUrl === undefined ? ` data-fallback="${escapeHtml(DEFAULT_DOCS_ASSETS)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t} - API docs</title>
<link rel="stylesheet" id="swagger-ui-css" href="${base}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="openapi.json" data-assets="${base}"${fallback}></div>
<script src="${base}/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;
}

/**
 * The script `/docs/init.js` serves: starts Swagger UI on the page's container. When the bundle
 * did not load, it tries the fallback (the CDN) once; when that fails too, the page names every
 * URL it tried and the option that changes them.
 */
export const DOCS_INIT_SCRIPT = `(function () {
  var el = document.getElementById('swagger-ui');
  var tried = [new URL(el.getAttribute('data-assets') + '/swagger-ui-bundle.js', location.href).href];
  function start() {
    var specUrl = new URL(el.getAttribute('data-openapi'), location.href).href;
    var options = { dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null };
    fetch(specUrl).then(function (r) {
      if (!r.ok) throw new Error('status ' + r.status);
      return r.json();
    }).then(function (spec) {
      // "Try it out" calls the service where this page is served, a proxy's path prefix included
      // (without servers Swagger UI would call the origin's root)
      var base = new URL('.', location.href).href;
      if (!spec.servers || spec.servers.length === 0) spec.servers = [{ url: base.slice(-1) === '/' ? base.slice(0, -1) : base }];
      options.spec = spec;
      window.ui = SwaggerUIBundle(options);
    }).catch(function () {
      options.url = specUrl;
      window.ui = SwaggerUIBundle(options);
    });
  }
  function fail() {
    el.textContent = 'Swagger UI could not be loaded from ' + tried.join(' nor from ') +
      '. Serve its files with serve() from fetch-batteries/node, /bun or /deno (or withDocsAssets), ' +
      'or set createApp({ docs: { assetsUrl } }) to where swagger-ui.css and swagger-ui-bundle.js can be loaded.';
  }
  if (typeof SwaggerUIBundle === 'function') return start();
  var fallback = el.getAttribute('data-fallback');
  if (!fallback) return fail();
  tried.push(fallback + '/swagger-ui-bundle.js');
  document.getElementById('swagger-ui-css').href = fallback + '/swagger-ui.css';
  var script = document.createElement('script');
  script.src = fallback + '/swagger-ui-bundle.js';
  script.onload = function () { typeof SwaggerUIBundle === 'function' ? start() : fail(); };
  script.onerror = fail;
  document.body.appendChild(script);
})();
`;
