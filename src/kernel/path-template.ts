// Route templates (`/patients/:patient_id`, `/files/:path+`, `/a/:id?`), as itty-router reads
// them: the router, the parameter extractors and the OpenAPI document all parse them here.

/** A parameter: `:` then letters, digits or `_`. */
const PARAM = /:([A-Za-z0-9_]+)/g;
/** A parameter with its itty modifier (`?` optional, `+` one or more segments, `*`). */
const PARAM_WITH_MODIFIER = /:([A-Za-z0-9_]+)[?+*]?/g;

/** `/patients/:patient_id` -> `/patients/{patient_id}` (itty modifiers `?`, `+` dropped). */
export function openApiPath(template: string): string {
  const path = template.replace(PARAM_WITH_MODIFIER, '{$1}');
  return path === '' ? '/' : path;
}

/** Path parameter names in template order. */
export function pathParamNames(template: string): string[] {
  return [...template.matchAll(PARAM)].map((m) => m[1]);
}

/** Whether the template has the parameter `:name` (not merely one whose name starts with it). */
export function hasPathParam(template: string, name: string): boolean {
  return pathParamNames(template).includes(name);
}

/** One concrete path a route answers: its OpenAPI template and the parameters it has. */
export interface PathVariant {
  path: string;
  params: string[];
  /** Names given to the `*` wildcards kept in this path (itty captures them under no name). */
  wildcards: string[];
  /** Optional parameters (and wildcards) left out of this variant (empty for the full path). */
  omitted: string[];
}

// itty-router makes `:name?` (with the `/` or `.` before it) an optional regex group, and `*`
// (with the `/` before it) an optional `.*`: `/s/*` answers `/s` and `/s/a/b`
const OPTIONAL_PART = /(\/?\.?):(\w+)(\+?)\?|(\/?)\*/g;
const MAX_OPTIONAL = 4;

/** `wildcard`, `wildcard_2`, ...: names no path parameter of the template uses. */
function wildcardNames(count: number, taken: string[]): string[] {
  const names: string[] = [];
  for (let n = 1; names.length < count; n++) {
    const name = n === 1 ? 'wildcard' : `wildcard_${n}`;
    if (!taken.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The paths a template matches: `/a/:id?` answers `/a` and `/a/{id}` (OpenAPI has no optional
 * path parameters, so each is its own path), `/s/*` answers `/s` and `/s/{wildcard}`. The full
 * path comes first. Variants that look the same to OpenAPI (`/a/:x?/:y?` without x or without y)
 * are listed once, as the router reads them: a lone value goes to the first parameter.
 */
export function pathVariants(template: string): PathVariant[] {
  const all = pathParamNames(template);
  const parts = [...template.matchAll(OPTIONAL_PART)];
  const stars = wildcardNames(parts.filter((m) => m[4] !== undefined).length, all);
  let star = 0;
  const names = parts.map((m) => (m[4] !== undefined ? stars[star++] : m[2]));
  // beyond a few, the combinations say little: document the full path only
  const k = parts.length > MAX_OPTIONAL ? 0 : parts.length;
  const variants: PathVariant[] = [];
  const shapes = new Set<string>();
  for (let mask = 0; mask < 2 ** k; mask++) {
    const omitted = new Set(names.filter((_, i) => (mask >> (k - 1 - i)) & 1));
    let i = 0;
    const concrete = template.replace(OPTIONAL_PART, (whole, prefix: string, _name: string, plus: string, starPrefix?: string) => {
      const name = names[i++];
      if (omitted.has(name)) return '';
      if (starPrefix !== undefined) return `${starPrefix}:${name}`;
      return k === 0 ? whole : `${prefix}:${name}${plus}`;
    });
    const path = openApiPath(concrete);
    const shape = path.replace(/\{[^}]*\}/g, '{}');
    if (shapes.has(shape)) continue;
    shapes.add(shape);
    variants.push({
      path,
      params: all.filter((n) => !omitted.has(n)),
      wildcards: stars.filter((n) => !omitted.has(n)),
      omitted: [...omitted],
    });
  }
  return variants;
}

/**
 * itty-router builds one regex per route; two parameters in one segment (`/x/:a-:b`) backtrack
 * catastrophically (seconds for a 2,000-character path), so such templates are refused.
 */
export function assertSafeTemplate(template: string): void {
  // `:name+` and `*` match across segments (`[^]+`, `.*`): three of them backtrack for seconds
  // on a 2,000-character path that does not match (four: minutes); two stay in milliseconds
  const greedy = template.match(/:\w+\+|\*/g);
  if (greedy !== null && greedy.length > 2) {
    throw new TypeError(
      `Route "${template}": ${greedy.length} greedy parts (:name+ or *), which itty-router matches with catastrophic backtracking; use at most two`,
    );
  }
  for (const segment of template.split('/')) {
    // FastAPI's and OpenAPI's `{id}` (and `{file_path:path}`): the router would match the text
    // itself, every real id a 404
    const braced = /\{([^}]*)\}/.exec(segment);
    if (braced !== null) {
      const [name, converter] = braced[1].split(':');
      const param = `:${name.replace(/\W/g, '_')}${converter === 'path' ? '+' : ''}`;
      throw new TypeError(
        `Route "${template}": write path parameters as ${param}, not {${braced[1]}} (the router would match the text "{${braced[1]}}" itself)`,
      );
    }
    const params = segment.match(/:\w+/g);
    if (params !== null && params.length > 1) {
      throw new TypeError(
        `Route "${template}": segment "${segment}" has more than one parameter, which itty-router matches with catastrophic backtracking; use one parameter per segment`,
      );
    }
    if (params !== null && segment.includes('*')) {
      throw new TypeError(`Route "${template}": segment "${segment}" mixes a parameter and a wildcard`);
    }
  }
}
