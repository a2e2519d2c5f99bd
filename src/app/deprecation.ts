import type { RouteDefinition } from '../metadata/types.ts';

/**
 * The warning each call of a `@Deprecated` route logs, worded as the Python `deprecated_route`
 * warned, so operators see who still calls it:
 * `Endpoint /route/deprecated is deprecated, use GET /route/replacement`.
 * @example deprecationNotice(definition) // undefined when the route is not deprecated
 */
export function deprecationNotice(definition: RouteDefinition): string | undefined {
  const meta = definition.deprecated;
  if (!meta) return undefined;
  const successor = meta.supersededBy?.trim();
  return successor ? `Endpoint ${definition.path} is deprecated, use ${successor}` : `Endpoint ${definition.path} is deprecated`;
}
