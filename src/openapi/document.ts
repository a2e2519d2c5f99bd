import type { FeatureContext } from '../app/feature.ts';
import type { AppOptions } from '../app/types.ts';
import type { RouteDefinition } from '../metadata/types.ts';
import type { DocsOptions } from './docs-page.ts';
import { buildOperation, type ErrorShape, openApiPath } from './operation.ts';
import { namedJsonSchemas, type SchemaObject } from './schema.ts';
import { sortKeys } from './sort.ts';

/** What the generator reads: the app's options, its decorated routes and the battery routes. */
export interface DocumentInput {
  options: AppOptions;
  definitions: readonly RouteDefinition[];
  /** Internal routes (`/running`, ...); those with a `definition` are skipped here. */
  routes?: FeatureContext['allRoutes'];
  /** Battery routes never documented: `/metrics` and the docs routes themselves (controller routes always are). */
  hidden?: (path: string) => boolean;
}

const INFRA_TAG = 'infra';
const TOP_LEVEL_ORDER = ['openapi', 'info', 'tags', 'paths', 'components'];

const MESSAGE = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
const ISSUES = {
  type: 'array',
  items: {
    type: 'object',
    properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, message: { type: 'string' } },
    required: ['path', 'message'],
  },
};
const PROBLEM = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail'],
};

// The monitoring battery's answers, documented so clients and probes know the shapes.
const INFRA_OPERATIONS: Record<string, SchemaObject> = {
  '/running': {
    summary: 'Liveness: the process answers',
    responses: {
      '200': json('Running', { type: 'object', properties: { running: { type: 'boolean', const: true } }, required: ['running'] }),
    },
  },
  '/version': {
    summary: 'The deployed build',
    responses: {
      '200': json('Build identifiers', {
        type: 'object',
        properties: { circle: { type: 'string' }, hash: { type: 'string' } },
        required: ['circle', 'hash'],
      }),
    },
  },
  '/healthcheck': {
    summary: 'Readiness: every dependency check with its latency',
    responses: { '200': json('Healthy', { type: 'object' }), '503': json('A dependency check failed', { type: 'object' }) },
  },
};

function json(description: string, schema: SchemaObject): SchemaObject {
  return { description, content: { 'application/json': { schema } } };
}

function errorShape(options: AppOptions): ErrorShape {
  return options.errorFormat === 'problem'
    ? {
        mediaType: 'application/problem+json',
        errorRef: '#/components/schemas/Problem',
        validationRef: '#/components/schemas/ValidationProblem',
      }
    : { mediaType: 'application/json', errorRef: '#/components/schemas/Error', validationRef: '#/components/schemas/ValidationError' };
}

function errorSchemas(options: AppOptions): Record<string, SchemaObject> {
  if (options.errorFormat === 'problem') {
    return {
      Problem: PROBLEM,
      ValidationProblem: { ...PROBLEM, properties: { ...PROBLEM.properties, issues: ISSUES }, required: [...PROBLEM.required, 'issues'] },
    };
  }
  return {
    Error: MESSAGE,
    ValidationError: { ...MESSAGE, properties: { ...MESSAGE.properties, issues: ISSUES }, required: ['message', 'issues'] },
  };
}

function uniqueId(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[^A-Za-z0-9_.-]/g, '_');
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

/** `/healthcheck` -> `infra_healthcheck`, for battery routes that have no handler name. */
function infraId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return ['infra', ...(method === 'GET' ? [] : [method.toLowerCase()]), ...words].join('_');
}

/**
 * The OpenAPI 3.1 document for an app, with keys sorted so equal apps give equal bytes.
 * @example
 * const doc = buildOpenApiDocument({ options: app.options, definitions: app.definitions });
 */
export function buildOpenApiDocument(input: DocumentInput): Record<string, unknown> {
  const { options, definitions } = input;
  const hidden = input.hidden ?? (() => false);
  const shape = errorShape(options);
  const named = (options.docs !== null && typeof options.docs === 'object' ? (options.docs as DocsOptions).schemas : undefined) ?? {};
  const ours = errorSchemas(options);
  for (const name of Object.keys(named)) {
    if (Object.hasOwn(ours, name)) throw new TypeError(`docs.schemas: "${name}" is the name of a built-in error schema; choose another`);
  }
  const used = new Set<string>();
  const paths: Record<string, Record<string, SchemaObject>> = {};
  const tags = new Set<string>();
  const put = (method: string, path: string, operation: SchemaObject) => {
    const key = openApiPath(path);
    paths[key] ??= {};
    paths[key][method.toLowerCase()] = operation;
    for (const tag of (operation.tags as string[] | undefined) ?? []) tags.add(tag);
  };

  for (const def of definitions) {
    const id = uniqueId(def.operationId ?? `${def.controllerName}_${def.handlerName}`, used);
    put(def.method, def.path, buildOperation(def, id, shape, named));
  }
  for (const route of input.routes ?? []) {
    if (route.definition !== undefined || hidden(route.path)) continue;
    const known = INFRA_OPERATIONS[route.path] ?? { responses: { '200': { description: 'Successful response' } } };
    const operation: SchemaObject = { ...known, operationId: uniqueId(infraId(route.method, route.path), used) };
    if (route.infra) operation.tags = [INFRA_TAG];
    put(route.method, route.path, operation);
  }

  const info: SchemaObject = { title: options.title ?? 'API', version: options.version ?? '0.0.0' };
  if (options.description) info.description = options.description;
  const document = {
    openapi: '3.1.0',
    info,
    tags: [...tags].sort().map((name) => (name === INFRA_TAG ? { name, description: 'Monitoring endpoints' } : { name })),
    paths,
    components: {
      schemas: { ...namedJsonSchemas(named), ...ours },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
  return sortKeys(document, TOP_LEVEL_ORDER);
}
