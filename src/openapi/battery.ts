import type { Battery, BatteryContext, BatteryRuntime, CoreConfig, InternalRoute } from '../kernel/battery.ts';
import { DOCS_INIT_SCRIPT, type DocsOptions, docsPage } from './docs-page.ts';
import { buildOpenApiDocument, checkDocsOptions, explicitOperationIds, type OpenApiOptions } from './document.ts';

export type { OpenApiBatteryOptions } from './docs-page.ts';

/** `app.openapi()`. */
export interface OpenApiExports {
  /** A fresh copy of the OpenAPI 3.1 document. */
  openapi?: () => Record<string, unknown>;
}

const OPENAPI_PATH = '/openapi.json';
const DOCS_PATH = '/docs';
const DOCS_SCRIPT_PATH = '/docs/init.js';
const HIDDEN = new Set(['/metrics', OPENAPI_PATH, DOCS_PATH, DOCS_SCRIPT_PATH]);

/** `/metrics`, the docs routes and anything a docs-assets wrapper serves stay out of the document. */
function isHidden(path: string): boolean {
  return HIDDEN.has(path) || path.startsWith(`${DOCS_PATH}/`);
}

function docsOptions(docs: OpenApiOptions['docs']): DocsOptions {
  return docs !== null && typeof docs === 'object' ? docs : {};
}

/**
 * The OpenAPI battery: `app.openapi()` (built once, on first use), `GET /openapi.json` and the
 * Swagger UI page `GET /docs`. The routes are left out with `testing: true` or `docs: false`, and
 * by default for an app without controllers (`augmentApp`), whose wrapped handler may have its own.
 * @example
 * createApp({ title: 'Patients', version: '1.0.0', docs: { assetsUrl: '/docs/assets' }, controllers });
 */
export function openapiBattery(): Battery<OpenApiOptions, CoreConfig, OpenApiExports> {
  return {
    name: 'openapi',
    optionNames: ['docs'],
    // at createApp, even on Workers (no env yet): never a 500 on the first GET /openapi.json
    checkRoutes(definitions, options) {
      checkDocsOptions(options);
      explicitOperationIds(definitions);
    },
    start(context: BatteryContext<OpenApiOptions>): BatteryRuntime<OpenApiExports> {
      const { options } = context;
      let document: Record<string, unknown> | undefined;
      let serialised: string | undefined;
      // allRoutes is complete only after every battery started: build lazily, then keep it
      const build = () => {
        document ??= buildOpenApiDocument({
          options,
          definitions: context.definitions,
          routes: context.allRoutes,
          hidden: isHidden,
        });
        return document;
      };
      const runtime: BatteryRuntime<OpenApiExports> = { exports: { openapi: () => structuredClone(build()) } };
      if (options.testing || options.docs === false) return runtime;
      // augmentApp around a Hono or itty app: no controllers to describe, and its own /docs must win
      if (context.definitions.length === 0 && options.docs === undefined) return runtime;

      const page = docsPage(options.title ?? 'API', docsOptions(options.docs).assetsUrl);
      const routes: InternalRoute[] = [
        {
          method: 'GET',
          path: OPENAPI_PATH,
          infra: true,
          handler: () => {
            serialised ??= JSON.stringify(build());
            return new Response(serialised, { headers: { 'content-type': 'application/json' } });
          },
        },
        {
          method: 'GET',
          path: DOCS_PATH,
          infra: true,
          handler: (ctx) =>
            // the router also matches `/docs/`, where the page's relative URLs would miss: send it to `/docs`
            ctx.path.endsWith('/')
              ? new Response(null, { status: 308, headers: { location: '../docs' } })
              : new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
        },
        {
          method: 'GET',
          path: DOCS_SCRIPT_PATH,
          infra: true,
          handler: () => new Response(DOCS_INIT_SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8' } }),
        },
      ];
      runtime.routes = routes;
      return runtime;
    },
  };
}
