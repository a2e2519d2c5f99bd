import type { BatteryContext, CoreOptions } from '../kernel/battery.ts';
import type { RouteDefinition } from '../kernel/definitions.ts';
import type { DocsOptions, OpenApiBatteryOptions } from './docs-page.ts';

/** The options the OpenAPI battery reads. */
export type OpenApiOptions = CoreOptions & OpenApiBatteryOptions;

import { openApiPath, pathVariants } from '../kernel/path-template.ts';
import { buildOperation, type ErrorShape } from './operation.ts';
import { COMPONENT_NAME, SchemaComponents, type SchemaObject } from './schema.ts';
import { sortKeys } from './sort.ts';

/** What the generator reads: the app's options, its decorated routes and the battery routes. */
export interface DocumentInput {
  options: OpenApiOptions;
  definitions: readonly RouteDefinition[];
  /** Internal routes (`/running`, ...); those with a `definition` are skipped here. */
  routes?: BatteryContext['allRoutes'];
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

function errorShape(options: OpenApiOptions): ErrorShape {
  return options.errorFormat === 'problem'
    ? {
        mediaType: 'application/problem+json',
        errorRef: '#/components/schemas/Problem',
        validationRef: '#/components/schemas/ValidationProblem',
      }
    : { mediaType: 'application/json', errorRef: '#/components/schemas/Error', validationRef: '#/components/schemas/ValidationError' };
}

function errorSchemas(options: OpenApiOptions): Record<string, SchemaObject> {
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

const sanitiseId = (wanted: string) => wanted.replace(/[^A-Za-z0-9_.-]/g, '_');

function uniqueId(wanted: string, used: Set<string>): string {
  const base = sanitiseId(wanted);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

function routeName(d: RouteDefinition): string {
  return `${d.controllerName}.${d.handlerName} (${d.method} ${d.path})`;
}

/**
 * The ids given with `@Doc({ operationId })`, which must be unique: clients generate method
 * names from them, so a silent `_2` would break the code written against them.
 */
export function explicitOperationIds(definitions: readonly RouteDefinition[]): Set<string> {
  const owners = new Map<string, RouteDefinition>();
  for (const def of definitions) {
    if (def.operationId === undefined) continue;
    if (typeof def.operationId !== 'string' || def.operationId === '')
      throw new TypeError(`${routeName(def)}: @Doc operationId must be a non-empty string`);
    const id = sanitiseId(def.operationId);
    const other = owners.get(id);
    if (other !== undefined) {
      throw new TypeError(
        `@Doc operationId "${id}" is given to two routes: ${routeName(other)} and ${routeName(def)}; operation ids must be unique`,
      );
    }
    owners.set(id, def);
  }
  return new Set(owners.keys());
}

const DOCS_KEYS = new Set(['assetsUrl', 'schemas']);

/** `docs.schemas` names, the same schema under two names, unknown keys: refused when the app is created. */
export function checkDocsOptions(options: OpenApiOptions): void {
  const docs: unknown = options.docs;
  if (docs === undefined || typeof docs === 'boolean') return;
  if (docs === null || typeof docs !== 'object' || Array.isArray(docs))
    throw new TypeError('createApp({ docs }): docs must be true, false or an object');
  for (const key of Object.keys(docs)) {
    if (!DOCS_KEYS.has(key)) throw new TypeError(`createApp({ docs }): unknown option "${key}" (known: ${[...DOCS_KEYS].join(', ')})`);
  }
  const { assetsUrl, schemas } = docs as DocsOptions;
  if (assetsUrl !== undefined && (typeof assetsUrl !== 'string' || assetsUrl.trim() === '')) {
    throw new TypeError('createApp({ docs }): docs.assetsUrl must be a non-empty URL or path');
  }
  if (schemas === undefined) return;
  if (schemas === null || typeof schemas !== 'object' || Array.isArray(schemas))
    throw new TypeError('docs.schemas must be an object of valibot schemas');
  const ours = errorSchemas(options);
  const names = new Map<unknown, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (!COMPONENT_NAME.test(name))
      throw new TypeError(`docs.schemas: "${name}" is not a valid component name (letters, digits, ".", "-", "_")`);
    if (Object.hasOwn(ours, name)) throw new TypeError(`docs.schemas: "${name}" is the name of a built-in error schema; choose another`);
    if (schema === null || typeof schema !== 'object' || (schema as { kind?: unknown }).kind !== 'schema') {
      throw new TypeError(`docs.schemas: "${name}" is not a valibot schema`);
    }
    const other = names.get(schema);
    if (other !== undefined) throw new TypeError(`docs.schemas: "${other}" and "${name}" are the same schema; name it once`);
    names.set(schema, name);
  }
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
  checkDocsOptions(options);
  const named = (options.docs !== null && typeof options.docs === 'object' ? options.docs.schemas : undefined) ?? {};
  const ours = errorSchemas(options);
  const schemas = new SchemaComponents(named, new Set(Object.keys(ours)));
  // explicit ids are kept as given; generated ones step aside
  const explicit = explicitOperationIds(definitions);
  const used = new Set(explicit);
  const idFor = (def: RouteDefinition) =>
    def.operationId !== undefined ? sanitiseId(def.operationId) : uniqueId(`${def.controllerName}_${def.handlerName}`, used);
  const paths: Record<string, Record<string, SchemaObject>> = {};
  const tags = new Set<string>();
  const put = (method: string, key: string, operation: SchemaObject) => {
    paths[key] ??= {};
    paths[key][method.toLowerCase()] = operation;
    for (const tag of (operation.tags as string[] | undefined) ?? []) tags.add(tag);
  };

  const shorter: [RouteDefinition, string, ReturnType<typeof pathVariants>][] = [];
  for (const def of definitions) {
    const [full, ...rest] = pathVariants(def.path);
    const id = idFor(def);
    put(def.method, full.path, buildOperation(def, id, shape, schemas, full.params, full.wildcards));
    if (rest.length > 0) shorter.push([def, id, rest]);
  }
  // `/a/:id?` also answers `/a`, unless another route owns that path (the router prefers it)
  for (const [def, id, variants] of shorter) {
    for (const variant of variants) {
      if (paths[variant.path]?.[def.method.toLowerCase()] !== undefined) continue;
      const variantId = uniqueId(`${id}_without_${variant.omitted.join('_')}`, used);
      put(def.method, variant.path, buildOperation(def, variantId, shape, schemas, variant.params, variant.wildcards));
    }
  }
  for (const route of input.routes ?? []) {
    if (route.definition !== undefined || hidden(route.path)) continue;
    const known = INFRA_OPERATIONS[route.path] ?? { responses: { '200': { description: 'Successful response' } } };
    const operation: SchemaObject = { ...known, operationId: uniqueId(infraId(route.method, route.path), used) };
    if (route.infra) operation.tags = [INFRA_TAG];
    put(route.method, openApiPath(route.path), operation);
  }
  const finished = schemas.finish(paths);

  const info: SchemaObject = { title: options.title ?? 'API', version: options.version ?? '0.0.0' };
  if (options.description) info.description = options.description;
  const document = {
    openapi: '3.1.0',
    info,
    tags: [...tags].sort().map((name) => (name === INFRA_TAG ? { name, description: 'Monitoring endpoints' } : { name })),
    paths: finished.document,
    components: {
      schemas: { ...finished.schemas, ...ours },
      // the API key scheme only when some route takes one: a client generator would otherwise ask for a key nobody checks
      securitySchemes: {
        ...(definitions.some((d) => d.apiKey) ? { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } : {}),
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
  return sortKeys(document, TOP_LEVEL_ORDER);
}
