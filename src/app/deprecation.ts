import type { RouteDefinition } from '../kernel/definitions.ts';

/**
 * The warning each call of a `@Deprecated` route logs, worded as flask-batteries-included's `deprecated_route`
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

/** `Deprecation` and `Link: <...>; rel="successor-version"` for a `@Deprecated` route (flask-batteries-included's `deprecated_route` headers, `Deprecation` in the RFC 9745 form). */
export function deprecationHeaders(definition: RouteDefinition): [string, string][] | undefined {
  const meta = definition.deprecated;
  if (!meta) return undefined;
  const since = meta.since === undefined ? undefined : new Date(meta.since);
  // RFC 9745: an @-prefixed Unix time; `true` (draft form, as flask-batteries-included sends) when unknown
  const headers: [string, string][] = [
    ['deprecation', since && !Number.isNaN(since.getTime()) ? `@${Math.floor(since.getTime() / 1000)}` : 'true'],
  ];
  if (meta.supersededBy) {
    const target = meta.supersededBy.trim().split(/\s+/).pop() as string;
    headers.push(['link', `<${target}>; rel="successor-version"`]);
  }
  return headers;
}
