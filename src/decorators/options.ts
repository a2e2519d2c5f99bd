import { setOptions } from '../metadata/store.ts';
import type { AnySchema, DeprecatedMeta, RouteOptions } from '../metadata/types.ts';

/** A decorator usable on a method, or on the class as a default for all its routes. */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

export function routeOption(patch: RouteOptions): ClassOrMethodDecorator {
  return ((target: object, key?: string | symbol) => {
    if (key === undefined) setOptions(target as Function, undefined, patch);
    else setOptions(target.constructor, String(key), patch);
  }) as ClassOrMethodDecorator;
}

/** The success status (default 200, or 204 for an empty result). @example @Post('/') @Status(201) create() {} */
export function Status(status: number): ClassOrMethodDecorator {
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`@Status(${status}): not an HTTP status`);
  return routeOption({ status });
}

/** Documents a response (OpenAPI). @example @Returns(200, Patient, 'The patient') */
export function Returns(status: number, schema?: AnySchema, description?: string): ClassOrMethodDecorator {
  return routeOption({ returns: [{ status, schema, description }] });
}

/** OpenAPI tags. @example @Tags('patients') */
export function Tags(...tags: string[]): ClassOrMethodDecorator {
  return routeOption({ tags });
}

/**
 * Marks a route deprecated: `Deprecation` and `Link: <...>; rel="successor-version"` headers.
 * @example @Deprecated({ supersededBy: 'GET /v2/patients' })
 */
export function Deprecated(meta: DeprecatedMeta = {}): ClassOrMethodDecorator {
  return routeOption({ deprecated: meta });
}

/** OpenAPI summary/description/operationId. @example @Doc({ summary: 'Get a patient' }) */
export function Doc(doc: Pick<RouteOptions, 'summary' | 'description' | 'operationId'>): ClassOrMethodDecorator {
  return routeOption(doc);
}
