// the module alone, not the package index (cors, json, AutoRouter, ...): less to load at start-up
import { IttyRouter } from 'itty-router/IttyRouter';
import { BadRequestError } from '../kernel/http-errors.ts';
import { MALFORMED_PATH } from '../kernel/messages.ts';
import { assertSafeTemplate } from '../kernel/path-template.ts';

export interface Match<T> {
  value: T;
  template: string;
  /** Decoded, prototype-less. */
  params: Record<string, string>;
}

/** What the routes on one path offer, whatever the method: for 405 `Allow`, OPTIONS and their metrics label. */
export interface PathRoutes<T> {
  /** Every method some route accepts on the path. */
  methods: string[];
  /** One of those routes (an exact path before a template, then in the order added) and its template. */
  template: string;
  value: T;
}

interface DynamicRoute<T> {
  regex: RegExp;
  value: T;
  template: string;
}

const NO_PARAMS: Record<string, string> = Object.freeze(Object.create(null));

/**
 * Route table over itty-router's route compiler. itty turns each template into its regex
 * (`request.route` semantics included); we keep its compiled routes and dispatch ourselves so
 * the hot path needs no `new URL()`, no query parsing and no request mutation, and exact paths
 * are found by a Map lookup before any regex runs (static beats dynamic, as in Hono or find-my-way).
 */
export class RouteTable<T> {
  // static hits return one shared, read-only Match: no allocation per request
  private readonly staticRoutes = new Map<string, Map<string, Match<T>>>();
  private readonly dynamicRoutes = new Map<string, DynamicRoute<T>[]>();
  private readonly templates: { regex: RegExp; values: Map<string, T>; template: string }[] = [];
  private readonly staticTemplates = new Map<string, Set<string>>();

  add(method: string, declared: string, value: T): void {
    assertSafeTemplate(declared);
    // a request path arrives percent-encoded (`/caf%C3%A9`): a template written `/café` or `/a b`
    // is matched in that form, or it could never match
    const template = declared.replace(/[^!#-;=?-_a-z|~]/gu, (c) => encodeURIComponent(c));
    const itty = IttyRouter();
    (itty as unknown as Record<string, (path: string) => void>)[method.toLowerCase()](template);
    const [, regex, , normalized] = itty.routes[0] as unknown as [string, RegExp, unknown, string];
    const path = normalized === '' ? '/' : normalized;
    if (!/[:*]/.test(path)) {
      let byPath = this.staticRoutes.get(method);
      if (!byPath) this.staticRoutes.set(method, (byPath = new Map()));
      if (byPath.has(path)) throw new TypeError(`Duplicate route ${method} ${path}`);
      byPath.set(path, Object.freeze({ value, template: path, params: NO_PARAMS }));
      let methods = this.staticTemplates.get(path);
      if (!methods) this.staticTemplates.set(path, (methods = new Set()));
      methods.add(method);
      return;
    }
    let list = this.dynamicRoutes.get(method);
    if (!list) this.dynamicRoutes.set(method, (list = []));
    // `/x/:id` and `/x/:key` match the same requests: the second would never be reached
    const shape = shapeOf(path);
    const same = list.find((r) => shapeOf(r.template) === shape);
    if (same !== undefined) {
      throw new TypeError(
        `Duplicate route ${method} ${path}${same.template === path ? '' : `: ${method} ${same.template} matches the same paths`}`,
      );
    }
    const renamed = this.templates.find((t) => t.template !== path && shapeOf(t.template) === shape);
    if (renamed !== undefined) {
      // OpenAPI 3.1 forbids two paths that differ only in parameter names
      const other = [...renamed.values.keys()][0];
      throw new TypeError(
        `Route ${method} ${path} names its parameters differently from ${other} ${renamed.template} on the same path: use the same names`,
      );
    }
    list.push({ regex, value, template: path });
    let entry = this.templates.find((t) => t.template === path);
    if (!entry) this.templates.push((entry = { regex, values: new Map(), template: path }));
    entry.values.set(method, value);
  }

  /** The route for this method and raw path, or `undefined`. Throws 400 on bad %-encoding. */
  match(method: string, rawPath: string): Match<T> | undefined {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? trimSlashes(rawPath) : rawPath;
    const hit = this.staticRoutes.get(method)?.get(path);
    if (hit !== undefined) return hit;
    const list = this.dynamicRoutes.get(method);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const route = list[i];
      const m = route.regex.exec(rawPath);
      if (m !== null) return { value: route.value, template: route.template, params: decodeParams(m.groups) };
    }
    return undefined;
  }

  /** The routes on this raw path, whatever their method (for 405 `Allow` and OPTIONS); `undefined` when none. */
  routesOn(rawPath: string): PathRoutes<T> | undefined {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? trimSlashes(rawPath) : rawPath;
    const methods = new Set<string>();
    let found: Match<T> | undefined;
    for (const method of this.staticTemplates.get(path) ?? []) {
      methods.add(method);
      found ??= this.staticRoutes.get(method)?.get(path);
    }
    for (const t of this.templates) {
      if (!t.regex.test(rawPath)) continue;
      for (const [method, value] of t.values) {
        methods.add(method);
        found ??= { value, template: t.template, params: NO_PARAMS };
      }
    }
    return found === undefined ? undefined : { methods: [...methods], template: found.template, value: found.value };
  }
}

/** A template without its parameter names: `/x/:id?` -> `/x/:?`. */
function shapeOf(template: string): string {
  return template.replace(/:\w+/g, ':');
}

function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}

function decodeParams(groups: Record<string, string> | undefined): Record<string, string> {
  if (groups === undefined) return NO_PARAMS;
  const out: Record<string, string> = Object.create(null);
  for (const key in groups) {
    const raw = groups[key];
    if (raw === undefined) continue;
    if (raw.indexOf('%') < 0) out[key] = raw;
    else {
      try {
        out[key] = decodeURIComponent(raw);
      } catch {
        throw new BadRequestError(MALFORMED_PATH);
      }
    }
  }
  return out;
}
