import type { RouteDefinition } from '../metadata/types.ts';
import { INVALID_API_KEY, INVALID_CREDENTIALS, NO_API_KEY, NOT_AUTHENTICATED, NOT_ENOUGH_PERMISSIONS } from '../security/errors.ts';
import { requiresJwt } from '../security/feature.ts';
import { isOptional, jsonSchemaOf, type NamedSchemas, objectProperties, type SchemaObject } from './schema.ts';

/** How errors are rendered (`errorFormat`), so error responses name the right media type and schema. */
export interface ErrorShape {
  mediaType: string;
  errorRef: string;
  validationRef: string;
}

const STATUS_DESCRIPTIONS: Record<number, string> = {
  200: 'Successful response',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
};

// Headers OpenAPI describes elsewhere (security schemes, request body media type).
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'accept', 'x-api-key']);

/** `/patients/:patient_id` -> `/patients/{patient_id}` (itty modifiers `?`, `+` dropped). */
export function openApiPath(template: string): string {
  return template.replace(/:([A-Za-z0-9_]+)[?+*]?/g, '{$1}');
}

/** Path parameter names in template order. */
export function pathParamNames(template: string): string[] {
  return [...template.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
}

/** Whether the route needs a bearer JWT, mirroring what the security battery enforces. */
export function needsBearer(def: RouteDefinition): boolean {
  // one definition for enforcement and documentation, so they cannot disagree
  return requiresJwt(def);
}

/** The operation's `security`: api key and bearer scopes, ANDed in one requirement object. */
export function securityOf(def: RouteDefinition): Record<string, string[]>[] | undefined {
  const requirement: Record<string, string[]> = {};
  if (def.apiKey) requirement.apiKey = [];
  if (needsBearer(def)) requirement.bearerAuth = [...new Set(def.scopes ?? [])];
  return Object.keys(requirement).length === 0 ? undefined : [requirement];
}

function parametersOf(def: RouteDefinition, named: NamedSchemas): SchemaObject[] {
  const parameters: SchemaObject[] = [];
  for (const name of pathParamNames(def.path)) {
    const meta = def.params.find((p) => p.kind === 'param' && p.name === name);
    parameters.push({
      in: 'path',
      name,
      required: true,
      schema: meta?.schema ? jsonSchemaOf(meta.schema, 'input', named) : { type: 'string' },
    });
  }
  const seen = new Set<string>();
  for (const p of def.params) {
    if (p.kind === 'query' && p.name === undefined) {
      // expanded into one parameter per property, so never a bare `$ref` to a named schema
      for (const prop of objectProperties(jsonSchemaOf(p.schema, 'input'))) {
        if (seen.has(`query:${prop.name}`)) continue;
        seen.add(`query:${prop.name}`);
        parameters.push({ in: 'query', name: prop.name, required: prop.required, schema: prop.schema });
      }
    } else if ((p.kind === 'query' || p.kind === 'header') && p.name !== undefined) {
      if (p.kind === 'header' && RESERVED_HEADERS.has(p.name)) continue;
      if (seen.has(`${p.kind}:${p.name}`)) continue;
      seen.add(`${p.kind}:${p.name}`);
      const schema = p.schema ? jsonSchemaOf(p.schema, 'input', named) : { type: 'string' };
      parameters.push({ in: p.kind, name: p.name, required: !isOptional(p.schema), schema });
    }
  }
  return parameters;
}

function requestBodyOf(def: RouteDefinition, named: NamedSchemas): SchemaObject | undefined {
  const body = def.params.find((p) => p.kind === 'body');
  if (!body) return undefined;
  return {
    required: !isOptional(body.schema),
    content: { 'application/json': { schema: jsonSchemaOf(body.schema, 'input', named) } },
  };
}

/** The success status a route answers with when nothing else is declared. */
function successStatus(def: RouteDefinition): number {
  return def.status ?? def.returns?.[0]?.status ?? (def.method === 'DELETE' ? 204 : 200);
}

function successResponses(def: RouteDefinition, named: NamedSchemas): Record<string, SchemaObject> {
  const responses: Record<string, SchemaObject> = {};
  for (const r of def.returns ?? []) {
    const response: SchemaObject = { description: r.description ?? STATUS_DESCRIPTIONS[r.status] ?? `Status ${r.status}` };
    if (r.schema !== undefined && r.status !== 204)
      response.content = { 'application/json': { schema: jsonSchemaOf(r.schema, 'output', named) } };
    responses[String(r.status)] = response;
  }
  const status = successStatus(def);
  if (responses[String(status)] === undefined) {
    const response: SchemaObject = { description: STATUS_DESCRIPTIONS[status] ?? `Status ${status}` };
    if (status !== 204) response.content = { 'application/json': { schema: {} } };
    responses[String(status)] = response;
  }
  return responses;
}

/** Every error the pipeline can answer for this route, by status, with why. */
export function errorReasons(def: RouteDefinition): Map<number, string[]> {
  const reasons = new Map<number, string[]>();
  const add = (status: number, why: string) => reasons.set(status, [...(reasons.get(status) ?? []), why]);
  if (def.apiKey) {
    add(401, NO_API_KEY);
    add(403, INVALID_API_KEY);
  }
  if (needsBearer(def)) {
    add(401, NOT_AUTHENTICATED);
    add(403, INVALID_CREDENTIALS);
    if ((def.scopes?.length ?? 0) > 0 || def.params.some((p) => p.kind === 'user')) add(403, NOT_ENOUGH_PERMISSIONS);
    if (def.secured !== undefined) add(403, 'Forbidden');
  }
  const body = def.params.some((p) => p.kind === 'body');
  if (body) {
    add(400, 'Malformed JSON body');
    add(413, 'Request body too large');
    add(415, 'Request body is not JSON');
  }
  if (pathParamNames(def.path).length > 0) add(400, 'Malformed percent-encoding in the path');
  if (def.params.some((p) => p.schema !== undefined)) add(422, 'Request validation failed');
  if (def.params.some((p) => p.kind === 'db')) add(503, 'Database connection failed');
  return reasons;
}

function errorResponses(def: RouteDefinition, shape: ErrorShape): Record<string, SchemaObject> {
  const responses: Record<string, SchemaObject> = {};
  for (const [status, why] of errorReasons(def)) {
    const ref = status === 422 ? shape.validationRef : shape.errorRef;
    responses[String(status)] = { description: why.join('; '), content: { [shape.mediaType]: { schema: { $ref: ref } } } };
  }
  return responses;
}

/**
 * One route as an OpenAPI operation object. `operationId` must already be unique.
 * @example buildOperation(definition, 'PatientController_get', shape)
 */
export function buildOperation(def: RouteDefinition, operationId: string, shape: ErrorShape, named: NamedSchemas = {}): SchemaObject {
  const operation: SchemaObject = {
    operationId,
    responses: { ...errorResponses(def, shape), ...successResponses(def, named) },
  };
  if (def.summary) operation.summary = def.summary;
  let description = def.description;
  if (def.deprecated) {
    operation.deprecated = true;
    if (def.deprecated.supersededBy) {
      const note = `Deprecated: use \`${def.deprecated.supersededBy}\` instead.`;
      description = description ? `${description}\n\n${note}` : note;
    }
  }
  if (description) operation.description = description;
  if (def.tags?.length) operation.tags = [...new Set(def.tags)];
  const parameters = parametersOf(def, named);
  if (parameters.length > 0) operation.parameters = parameters;
  const requestBody = requestBodyOf(def, named);
  if (requestBody) operation.requestBody = requestBody;
  const security = securityOf(def);
  if (security) operation.security = security;
  return operation;
}
