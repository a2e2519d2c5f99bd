import type { AnySchema, ParamMeta } from '../kernel/definitions.ts';
import { isWrapperType, unwrapSchema } from '../kernel/validate.ts';

// Schema types no string can satisfy; path, query and header values are always strings
const NEVER_A_STRING = new Set([
  'number',
  'boolean',
  'bigint',
  'date',
  'nan',
  'symbol',
  'function',
  'blob',
  'file',
  'map',
  'set',
  'promise',
  'instance',
  'object',
  'loose_object',
  'strict_object',
  'object_with_rest',
  'record',
]);
// a repeated query key arrives as an array of strings, so these can match a query value
const LISTS = new Set(['array', 'tuple', 'loose_tuple', 'strict_tuple', 'tuple_with_rest']);

const HINTS: Record<string, string> = {
  number: 'v.pipe(v.string(), v.decimal(), v.toNumber())',
  bigint: 'v.pipe(v.string(), v.digits(), v.toBigint())',
  // not v.toBoolean(): it is Boolean(value), so "false" would be true
  boolean: "v.pipe(v.picklist(['true', 'false']), v.transform((s) => s === 'true'))",
  date: 'v.pipe(v.string(), v.isoTimestamp(), v.toDate())',
};

interface Node {
  type?: string;
  wrapped?: Node;
  options?: unknown[];
  literal?: unknown;
  entries?: Record<string, Node>;
  item?: Node;
  items?: Node[];
  value?: Node;
}

/** The type of the schema that refuses every string (`'number'`), or undefined when some string may pass. */
function refusedType(schema: Node, lists: boolean): string | undefined {
  // v.fallback: a value the schema refuses becomes the fallback, never a 422
  if ('fallback' in schema) return undefined;
  const type = schema.type ?? '';
  if (isWrapperType(type) && schema.wrapped) return refusedType(schema.wrapped, lists);
  if (NEVER_A_STRING.has(type)) return type;
  if (LISTS.has(type)) {
    if (!lists) return type;
    // each value of a repeated key is a string too: an array of numbers refuses them all
    const items = type === 'array' ? [schema.item] : (schema.items ?? []);
    for (const item of items) {
      const refused = item === undefined ? undefined : refusedType(item, false);
      if (refused !== undefined) return `${type} of ${refused}`;
    }
    return undefined;
  }
  if (type === 'literal') return typeof schema.literal === 'string' ? undefined : type;
  if (type === 'picklist') return schema.options?.some((o) => typeof o === 'string') ? undefined : type;
  // the values valibot accepts: a numeric TypeScript enum's reverse mapping ('1': 'A') is not one
  if (type === 'enum') return schema.options?.some((o) => typeof o === 'string') ? undefined : type;
  if (type === 'union' || type === 'variant') {
    const options = (schema.options ?? []) as Node[];
    const refused = options.map((o) => refusedType(o, lists));
    return options.length > 0 && refused.every((t) => t !== undefined) ? refused[0] : undefined;
  }
  if (type === 'intersect') {
    for (const o of (schema.options ?? []) as Node[]) {
      const refused = refusedType(o, lists);
      if (refused !== undefined) return refused;
    }
  }
  return undefined;
}

const SOURCE = { param: 'path', query: 'query', header: 'header' } as const;
const SPEC = { param: 'Param', query: 'Query', header: 'Header' } as const;

/**
 * Refuses, at start-up, a Param/Query/Header schema that no string can satisfy (`v.number()`):
 * the values arrive as strings, so every request would be a 422 while the document advertised
 * a number. `where` names the route and parameter in the message.
 */
export function assertAcceptsStrings(param: ParamMeta, where: string): void {
  if (param.schema === undefined || (param.kind !== 'param' && param.kind !== 'query' && param.kind !== 'header')) return;
  const kind = param.kind;
  const lists = kind === 'query';
  const spec = param.name === undefined ? `${SPEC[kind]}(schema)` : `${SPEC[kind]}('${param.name}')`;
  const check = (schema: AnySchema, what: string) => {
    const type = refusedType(schema as Node, lists);
    if (type === undefined) return;
    // `array of number`: the hint for each value
    const hint = HINTS[type.split(' ').pop() ?? type] ?? 'v.string(), v.picklist([...]) or a v.pipe from v.string()';
    throw new TypeError(
      `${where}: ${spec}${what} is a valibot ${type} schema, but ${SOURCE[kind]} values are always strings, ` +
        `so every request would be refused with 422; accept the string and convert it, e.g. ${hint}`,
    );
  };
  if (kind !== 'query' || param.name !== undefined) {
    check(param.schema, '');
    return;
  }
  // the whole query is an object of strings (arrays when repeated): check what each key may hold
  const whole = unwrapSchema(param.schema as Node);
  for (const [key, entry] of Object.entries(whole.entries ?? {})) check(entry as AnySchema, ` property "${key}"`);
  if (whole.type === 'record' && whole.value) check(whole.value as AnySchema, ' record value');
}

/** Whether a query value for `schema` is a list (`v.array`, a tuple; optional or not). */
function isList(schema: unknown): boolean {
  return LISTS.has(unwrapSchema(schema as Node).type ?? '');
}

/**
 * How a query value reaches its schema: a list schema gets a lone `?tag=a` as `['a']`, as FastAPI's
 * `list[str] = Query()` and an OpenAPI client (form style, explode) send a one-item list; a repeated
 * key is an array already. For the whole query (`Query(v.object(...))`), each list property alike.
 * `undefined` when the query reaches the schema as it is (no list to wrap).
 * @example queryGetter(v.array(v.string()), 'tag')?.({ tag: 'a' }); // ['a']
 */
export function queryGetter(
  schema: AnySchema | undefined,
  name: string | undefined,
): ((query: Record<string, unknown>) => unknown) | undefined {
  if (schema === undefined) return undefined;
  if (name !== undefined) {
    if (!isList(schema)) return undefined;
    return (query) => {
      const value = query[name];
      return typeof value === 'string' ? [value] : value;
    };
  }
  const entries = unwrapSchema(schema as Node).entries ?? {};
  const lists = Object.keys(entries).filter((key) => isList(entries[key]));
  if (lists.length === 0) return undefined;
  return (query) => {
    let out = query;
    for (const key of lists) {
      if (typeof query[key] !== 'string') continue;
      // a copy with the query's null prototype: an inherited `constructor` must not look like a value
      if (out === query) out = Object.assign(Object.create(null), query);
      out[key] = [query[key]];
    }
    return out;
  };
}
