import type { AnySchema } from '../metadata/types.ts';

/** Where `/docs` loads Swagger UI from when `docs.assetsUrl` is not set: works at the edge, needs internet. */
export const DEFAULT_DOCS_ASSETS = 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5';

/** `createApp({ docs })`: `false` turns `/openapi.json` and `/docs` off. */
export interface DocsOptions {
  /**
   * Base URL of the `swagger-ui-dist` files (`swagger-ui.css`, `swagger-ui-bundle.js`): a CDN
   * (the default) or a path the server itself answers, e.g. `/docs/assets` with `withDocsAssets` on Node.
   */
  assetsUrl?: string;
  /**
   * Schemas to document once under `components.schemas.<name>` and reference by `$ref` wherever
   * a route uses that same schema object (as FastAPI names pydantic models).
   * @example docs: { schemas: { Patient, NewPatient } }
   */
  schemas?: Record<string, AnySchema>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The `/docs` page: Swagger UI reading `openapi.json` next to it. No inline script, so a strict
 * `script-src` CSP only needs the assets origin and `'self'`. URLs are relative so the page also
 * works behind a proxy that mounts the service under a prefix.
 */
export function docsPage(title: string, assetsUrl: string = DEFAULT_DOCS_ASSETS): string {
  const t = escapeHtml(title);
  const base = escapeHtml(assetsUrl.replace(/\/+$/, ''));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t} - API docs</title>
<link rel="stylesheet" href="${base}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="openapi.json"></div>
<script src="${base}/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;
}

/** The script `/docs/init.js` serves: starts Swagger UI on the page's container. */
export const DOCS_INIT_SCRIPT = `(function () {
  var el = document.getElementById('swagger-ui');
  if (typeof SwaggerUIBundle !== 'function') {
    el.textContent = 'Swagger UI could not be loaded from its assets URL.';
    return;
  }
  window.ui = SwaggerUIBundle({ url: new URL(el.getAttribute('data-openapi'), location.href).href, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
})();
`;
