import type { AnySchema, DeprecatedMeta, RouteOptions } from '../kernel/definitions.ts';
import { setOptions } from '../metadata/store.ts';
import { type ClassOrMethodDecorator, checkMethod, defer, flushPending, isStandardContext, usedWithoutCall } from './standard.ts';

export type { ClassOrMethodDecorator } from './standard.ts';

/** Not a decorator application: `@Status` without its call received the decorator's arguments. */
const NOTHING = undefined as unknown as ClassOrMethodDecorator;

/** A decorator (`@label`, for messages) that merges `patch` into a method's options, or (on the class) every route's. */
export function routeOption(label: string, patch: RouteOptions): ClassOrMethodDecorator {
  return ((target: object, keyOrContext?: unknown, descriptor?: unknown) => {
    if (isStandardContext(keyOrContext)) {
      if (keyOrContext.kind === 'class') {
        flushPending(target as Function, keyOrContext);
        setOptions(target as Function, undefined, patch);
      } else if (checkMethod(label, target, keyOrContext, descriptor)) {
        const key = String(keyOrContext.name);
        defer(target, keyOrContext, (ctor) => setOptions(ctor, key, patch));
      }
    } else if (keyOrContext === undefined && typeof target === 'function') {
      setOptions(target, undefined, patch);
    } else if (checkMethod(label, target, keyOrContext, descriptor)) {
      setOptions(target.constructor, String(keyOrContext), patch);
    }
  }) as ClassOrMethodDecorator;
}

/** The success status (default 200, or 204 for an empty result). @example @Post('/') @Status(201) create() {} */
export function Status(status: number, ...bare: []): ClassOrMethodDecorator {
  if (usedWithoutCall('Status', [status, ...bare])) return NOTHING;
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`@Status(${status}): not an HTTP status`);
  return routeOption('Status', { status });
}

/** Documents a response (OpenAPI). @example @Returns(200, Patient, 'The patient') */
export function Returns(status: number, schema?: AnySchema, description?: string): ClassOrMethodDecorator {
  if (usedWithoutCall('Returns', [status, schema, description])) return NOTHING;
  return routeOption('Returns', { returns: [{ status, schema, description }] });
}

/** OpenAPI tags. @example @Tags('patients') */
export function Tags(...tags: string[]): ClassOrMethodDecorator {
  if (usedWithoutCall('Tags', tags)) return NOTHING;
  return routeOption('Tags', { tags });
}

/**
 * Marks a route deprecated: `Deprecation` and `Link: <...>; rel="successor-version"` headers.
 * @example @Deprecated({ supersededBy: 'GET /v2/patients' })
 */
export function Deprecated(meta: DeprecatedMeta = {}, ...bare: []): ClassOrMethodDecorator {
  if (usedWithoutCall('Deprecated', [meta, ...bare])) return NOTHING;
  return routeOption('Deprecated', { deprecated: meta });
}

/** OpenAPI summary/description/operationId. @example @Doc({ summary: 'Get a patient' }) */
export function Doc(doc: Pick<RouteOptions, 'summary' | 'description' | 'operationId'>, ...bare: []): ClassOrMethodDecorator {
  if (usedWithoutCall('Doc', [doc, ...bare])) return NOTHING;
  return routeOption('Doc', doc);
}
