import { CONNECTION_FAILED, toDatabaseError } from '../db/errors.ts';
import { type RouteDefinition, requiresJwt } from '../kernel/definitions.ts';
import { BODY_400_MESSAGES, bodyTooLarge, JSON_REQUIRED, MALFORMED_PATH, unsupportedEncoding } from '../kernel/messages.ts';
import { pathParamNames } from '../kernel/path-template.ts';
import { unwrapSchema } from '../kernel/validate.ts';
import {
  INVALID_API_KEY,
  INVALID_CREDENTIALS,
  KEYS_UNAVAILABLE,
  NO_API_KEY,
  NOT_AUTHENTICATED,
  NOT_ENOUGH_PERMISSIONS,
} from '../security/errors.ts';
import { isOptional, objectProperties, type SchemaComponents, type SchemaObject } from './schema.ts';

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

const BODY_413 = `${bodyTooLarge('MAX_BODY_BYTES')} (default 1048576)`;

// The database battery's own mapping, asked for each SQLSTATE it answers 400, 409 or 503 for;
// when a document is first built, not at import (every app imports this module)
const dbMessages = (codes: string[]) => [...new Set(codes.map((code) => toDatabaseError({ code }).message))];
let dbReasons: { 400: string[]; 409: string[]; 503: string[] } | undefined;
const databaseReasons = () =>
  (dbReasons ??= {
    400: dbMessages(['23502', '23514', '22001', '22003', '22007', '22008', '22P02', '22023', '22021', '22P05']),
    409: dbMessages(['23505', '23503', '23P01']),
    503: [CONNECTION_FAILED, ...dbMessages(['57014', '40001'])],
  });

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

function parametersOf(
  def: RouteDefinition,
  pathParams: string[],
  wildcards: string[],
  where: string,
  schemas: SchemaComponents,
): SchemaObject[] {
  const parameters: SchemaObject[] = [];
  for (const name of pathParams) {
    const meta = def.params.find((p) => p.kind === 'param' && p.name === name);
    parameters.push({
      in: 'path',
      name,
      required: true,
      schema: meta?.schema ? schemas.convert(meta.schema, 'input', `${where}_path_${name}`) : { type: 'string' },
    });
  }
  for (const name of wildcards) {
    const description = 'The rest of the path matched by `*` (slashes included); no handler argument receives it';
    parameters.push({ in: 'path', name, required: true, description, schema: { type: 'string' } });
  }
  const seen = new Set<string>();
  for (const p of def.params) {
    if (p.kind === 'query' && p.name === undefined) {
      // expanded into one parameter per property, so the object itself is written out even when named
      const json = schemas.convert(p.schema, 'input', `${where}_query`, true);
      const properties = objectProperties(json);
      if (p.schema !== undefined && json.properties === undefined) {
        // a record or a union of objects has no fixed names: one form-style object parameter
        if (!seen.has('query:query')) parameters.push({ in: 'query', name: 'query', style: 'form', explode: true, schema: json });
        seen.add('query:query');
      }
      for (const prop of properties) {
        if (seen.has(`query:${prop.name}`)) continue;
        seen.add(`query:${prop.name}`);
        parameters.push({ in: 'query', name: prop.name, required: prop.required, schema: prop.schema });
      }
    } else if ((p.kind === 'query' || p.kind === 'header') && p.name !== undefined) {
      if (p.kind === 'header' && RESERVED_HEADERS.has(p.name)) continue;
      if (seen.has(`${p.kind}:${p.name}`)) continue;
      seen.add(`${p.kind}:${p.name}`);
      const schema = p.schema ? schemas.convert(p.schema, 'input', `${where}_${p.kind}_${p.name}`) : { type: 'string' };
      parameters.push({ in: p.kind, name: p.name, required: !isOptional(p.schema), schema });
    }
  }
  return parameters;
}

function requestBodyOf(def: RouteDefinition, where: string, schemas: SchemaComponents): SchemaObject | undefined {
  const body = def.params.find((p) => p.kind === 'body');
  if (!body) return undefined;
  return {
    required: !isOptional(body.schema),
    content: { 'application/json': { schema: schemas.convert(body.schema, 'input', `${where}_body`) } },
  };
}

/** Whether every value the response schema admits is a string, which the handler's return sends as text. */
function sentAsText(schema: unknown): boolean {
  const node = unwrapSchema(schema as { type?: string; wrapped?: unknown; literal?: unknown; options?: unknown[] });
  if (node.type === 'string') return true;
  if (node.type === 'literal') return typeof node.literal === 'string';
  if (node.type === 'picklist' || node.type === 'enum')
    return (node.options ?? []).length > 0 && (node.options ?? []).every((o) => typeof o === 'string');
  return false;
}

function successResponses(def: RouteDefinition, where: string, schemas: SchemaComponents): Record<string, SchemaObject> {
  const responses: Record<string, SchemaObject> = {};
  for (const r of def.returns ?? []) {
    const response: SchemaObject = { description: r.description ?? STATUS_DESCRIPTIONS[r.status] ?? `Status ${r.status}` };
    if (r.schema !== undefined && r.status !== 204) {
      // a handler's string is sent as text/plain (kernel/respond.ts), not as a JSON string
      const media = sentAsText(r.schema) ? 'text/plain' : 'application/json';
      response.content = { [media]: { schema: schemas.convert(r.schema, 'output', `${where}_${r.status}`) } };
    }
    responses[String(r.status)] = response;
  }
  // `@Status` fixes the status whatever the handler returns: another success status is never sent
  // (a class's @Status with a method's @Returns(200, schema)), so its schema moves to the one that is
  if (def.status !== undefined) {
    const fixed = String(def.status);
    let moved: SchemaObject | undefined;
    for (const code of Object.keys(responses)) {
      if (code === fixed || !/^2\d\d$/.test(code)) continue;
      moved ??= responses[code].content as SchemaObject | undefined;
      delete responses[code];
    }
    if (responses[fixed] === undefined) {
      const response: SchemaObject = { description: STATUS_DESCRIPTIONS[def.status] ?? `Status ${def.status}` };
      if (def.status !== 204) response.content = moved ?? { 'application/json': { schema: {} } };
      responses[fixed] = response;
    }
    return responses;
  }
  if ((def.returns ?? []).some((r) => r.status >= 200 && r.status < 300)) return responses;
  // nothing fixes the status: the handler's value is sent as 200, nothing (undefined, null) as 204
  responses['200'] = { description: STATUS_DESCRIPTIONS[200], content: { 'application/json': { schema: {} } } };
  responses['204'] = { description: 'No content (the handler returned nothing)' };
  return responses;
}

/**
 * Every error the pipeline can answer for this route, by status, with the messages callers see.
 * Independent of the configuration, so the CLI (which builds the app with placeholder secrets)
 * writes the document the deployed app serves.
 */
export function errorReasons(def: RouteDefinition, pathParams: string[] = pathParamNames(def.path)): Map<number, string[]> {
  const reasons = new Map<number, string[]>();
  const add = (status: number, ...why: string[]) => reasons.set(status, [...(reasons.get(status) ?? []), ...why]);
  if (def.apiKey) {
    add(401, NO_API_KEY);
    add(403, INVALID_API_KEY);
  }
  if (needsBearer(def)) {
    add(401, NOT_AUTHENTICATED);
    add(403, INVALID_CREDENTIALS);
    if ((def.scopes?.length ?? 0) > 0 || def.params.some((p) => p.kind === 'user')) add(403, NOT_ENOUGH_PERMISSIONS);
    // only a rule refuses with Forbidden: a rule-less @Secured (Python's protected_route()) never does
    if (def.secured?.rule !== undefined) add(403, 'Forbidden');
    // any token is verified before the route's issuer list is checked, so any issuer's key set counts
    add(503, `${KEYS_UNAVAILABLE} (only with an issuer whose keys come from a key-set URL)`);
  }
  const body = def.params.some((p) => p.kind === 'body');
  if (body) {
    add(400, ...BODY_400_MESSAGES);
    add(413, BODY_413);
    add(415, JSON_REQUIRED, unsupportedEncoding('<coding>'));
  }
  if (pathParams.length > 0) add(400, MALFORMED_PATH);
  if (def.params.some((p) => p.schema !== undefined)) add(422, 'Request validation failed');
  if (def.params.some((p) => p.kind === 'db')) {
    const db = databaseReasons();
    add(400, ...db[400]);
    add(409, ...db[409]);
    add(503, ...db[503]);
  }
  return reasons;
}

function errorResponses(def: RouteDefinition, pathParams: string[], shape: ErrorShape): Record<string, SchemaObject> {
  const responses: Record<string, SchemaObject> = {};
  for (const [status, why] of errorReasons(def, pathParams)) {
    const ref = status === 422 ? shape.validationRef : shape.errorRef;
    responses[String(status)] = { description: why.join('; '), content: { [shape.mediaType]: { schema: { $ref: ref } } } };
  }
  return responses;
}

/**
 * One route (or one path of a route with optional parameters) as an OpenAPI operation object.
 * `operationId` must already be unique; schemas go through `schemas`, whose `finish` names them.
 * @example buildOperation(definition, 'PatientController_get', shape, schemas)
 */
export function buildOperation(
  def: RouteDefinition,
  operationId: string,
  shape: ErrorShape,
  schemas: SchemaComponents,
  pathParams: string[] = pathParamNames(def.path),
  wildcards: string[] = [],
): SchemaObject {
  // what the client sends first: an unnamed recursive schema is named after where it is first used
  const parameters = parametersOf(def, pathParams, wildcards, operationId, schemas);
  const requestBody = requestBodyOf(def, operationId, schemas);
  const operation: SchemaObject = {
    operationId,
    responses: { ...errorResponses(def, pathParams, shape), ...successResponses(def, operationId, schemas) },
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
  if (parameters.length > 0) operation.parameters = parameters;
  if (requestBody) operation.requestBody = requestBody;
  const security = securityOf(def);
  if (security) operation.security = security;
  return operation;
}
