import type { EnvSource } from '../config/env.ts';
import type { ErrorClass, ErrorFormat, ErrorHandler } from '../errors/mapper.ts';
import type { RouteDefinition } from '../metadata/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { DocsOptions } from '../openapi/docs-page.ts';
import type { RequestContext } from './context.ts';

/** A route the framework itself serves (`/running`, `/metrics`, `/openapi.json`, ...). */
export interface InternalRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: (ctx: RequestContext) => Response | Promise<Response>;
  /** Monitoring routes stay out of metrics and request logs. */
  infra: boolean;
}

/** A compiled check that runs before parameter extraction; throws an HttpError to refuse. */
export type RouteStep = (ctx: RequestContext) => void | Promise<void>;

export interface AppOptions {
  /** Controller classes (zero-argument constructor) or ready-made instances (constructor injection). */
  controllers?: (Function | object)[];
  title?: string;
  version?: string;
  description?: string;
  /** The environment; defaults to the runtime's (read in src/adapters) or the Workers `env` argument. */
  env?: EnvSource;
  /** As Python `create_app(testing=True)`: no monitoring routes, no metrics. */
  testing?: boolean;
  /** `true`: from config (`DATABASE_URL`, PGlite by default outside production); or a ready Database. */
  database?: boolean | object;
  monitoring?: boolean | Record<string, unknown>;
  metrics?: boolean | Record<string, unknown>;
  logger?: Logger;
  errorFormat?: ErrorFormat;
  /** JWT issuer overrides in code. */
  jwt?: Record<string, unknown>;
  /** Longest accepted request path (414 beyond); default 2048. */
  maxPathLength?: number;
  /** Extra error mappings, as `app.onError` adds them. */
  errorHandlers?: [ErrorClass, ErrorHandler][];
  /** OpenAPI: `/openapi.json` and `/docs` (default on unless `testing`). */
  docs?: boolean | DocsOptions;
}

export interface RouteInfo {
  method: string;
  path: string;
  definition?: RouteDefinition;
}
