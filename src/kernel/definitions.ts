import type { GenericSchema, GenericSchemaAsync } from 'valibot';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type AnySchema = GenericSchema | GenericSchemaAsync;

/** Where a handler argument comes from. */
export type ParamKind = 'param' | 'query' | 'body' | 'header' | 'ctx' | 'user' | 'token' | 'db';

export interface ParamMeta {
  index: number;
  kind: ParamKind;
  /** Path/query/header name; absent for whole-object sources. */
  name?: string;
  schema?: AnySchema;
}

export interface ReturnsMeta {
  status: number;
  schema?: AnySchema;
  description?: string;
}

export interface DeprecatedMeta {
  /** e.g. `GET /v2/patients`; becomes `Link: </v2/patients>; rel="successor-version"`. */
  supersededBy?: string;
  /** A date (or HTTP-date string) for the `Deprecation` header; `true` when unknown. */
  since?: Date | string;
}

/** A route-level security rule: see `security/rules`. */
export type RuleFn = (env: never) => boolean | Promise<boolean>;

export interface SecuredMeta {
  rule?: RuleFn;
  issuers?: string[];
}

/** Options a decorator may put on a method or (as a default for every route) on the class. */
export interface RouteOptions {
  status?: number;
  returns?: ReturnsMeta[];
  tags?: string[];
  deprecated?: DeprecatedMeta;
  apiKey?: boolean;
  scopes?: string[];
  secured?: SecuredMeta;
  summary?: string;
  description?: string;
  operationId?: string;
}

export interface ControllerMeta {
  prefix: string;
}

export interface RouteRecord {
  method: HttpMethod;
  path: string;
  handlerName: string;
  /** Route-level parameter specs (`@Get('/:id', Param('id'))`), in argument order; absent when none were given. */
  specs?: ParamMeta[];
}

/** One route as `createApp` sees it, with class defaults merged in. */
export interface RouteDefinition extends RouteOptions {
  controller: Function;
  controllerName: string;
  handlerName: string;
  method: HttpMethod;
  /** Full path template, itty-router syntax: `/patients/:patient_id`. */
  path: string;
  params: ParamMeta[];
  /** Declared handler arity (Function.length), used to spot undecorated parameters. */
  arity: number;
}

/** Whether a route needs a verified bearer token: `@Scopes`, `@Secured`, or a `@User`/`@Token` argument. */
export function requiresJwt(definition: RouteDefinition): boolean {
  return (
    definition.scopes !== undefined ||
    definition.secured !== undefined ||
    definition.params.some((p) => p.kind === 'user' || p.kind === 'token')
  );
}
