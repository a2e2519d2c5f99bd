import { type ConversionConfig, type OverrideRefContext, toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import type { AnySchema } from '../kernel/definitions.ts';
import { sortKeys } from './sort.ts';

/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) as plain data. */
export type SchemaObject = Record<string, unknown>;

/** `input`: what a client sends (parameters, bodies); `output`: what a handler returns. */
export type Mode = 'input' | 'output';

/** Schemas given names (`docs.schemas`): each becomes `components.schemas.<name>` and is referenced by `$ref`. */
export type NamedSchemas = Record<string, AnySchema>;

/** What OpenAPI allows as a `components.schemas` key. */
export const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

const OPTIONAL_TYPES = new Set(['optional', 'exact_optional', 'nullish', 'undefinedable', 'any', 'unknown']);

// A JSON request can never carry a Date or a bigint (JSON.parse makes neither, and parameters are
// strings), so such an input schema always fails with 422: say that, rather than promise a format.
const unsendable = (what: string): SchemaObject => ({ not: {}, description: `No value is accepted: JSON cannot carry a ${what}` });

const inputOverride: ConversionConfig['overrideSchema'] = ({ valibotSchema }) => {
  if (valibotSchema.type === 'date') return unsendable('Date');
  if (valibotSchema.type === 'bigint') return unsendable('bigint');
  return undefined;
};

// In responses, the shapes `toJson` actually sends instead of an empty schema.
const outputOverride: ConversionConfig['overrideSchema'] = ({ valibotSchema }) => {
  if (valibotSchema.type === 'date') return { type: 'string', format: 'date-time' };
  if (valibotSchema.type === 'bigint') return { type: ['integer', 'string'] };
  return undefined;
};

/** Whether a parameter or body may be left out: its schema accepts `undefined`. */
export function isOptional(schema: AnySchema | undefined): boolean {
  if (schema === undefined) return true;
  if (OPTIONAL_TYPES.has(schema.type)) return true;
  if (schema.async) return false;
  try {
    return v.safeParse(schema as v.GenericSchema, undefined).success;
  } catch {
    return false;
  }
}

/** The properties of an object schema (for a whole-query `@Query(schema)`), with their required flags. */
export function objectProperties(json: SchemaObject): { name: string; schema: SchemaObject; required: boolean }[] {
  const properties = json.properties;
  if (properties === null || typeof properties !== 'object') return [];
  const required = new Set(Array.isArray(json.required) ? (json.required as string[]) : []);
  return Object.entries(properties as Record<string, SchemaObject>).map(([name, schema]) => ({
    name,
    schema,
    required: required.has(name),
  }));
}

/** One `components.schemas` candidate: a `docs.schemas` entry, or the target of a `v.lazy`. */
interface Node {
  index: number;
  /** The `docs.schemas` name; unset for a lazy target. */
  named?: string;
  schema: AnySchema;
  content: Partial<Record<Mode, SchemaObject>>;
  /** The modes some documented schema reaches it in (filled by `finish`). */
  modes: Set<Mode>;
  /** Its component name; `inputName` when its input form differs from its output form. */
  name?: string;
  inputName?: string;
}

// Refs point here until `finish` knows every name; never left in a document.
const PLACEHOLDER = '#fb-node/';
const PLACEHOLDER_RE = /^#fb-node\/(\d+)\/(input|output)$/;

function titleOf(schema: AnySchema): string | undefined {
  for (const item of (schema as { pipe?: unknown[] }).pipe ?? []) {
    const action = item as { type?: string; title?: unknown; metadata?: { title?: unknown } };
    if (action.type === 'title' && typeof action.title === 'string') return action.title;
    if (action.type === 'metadata' && typeof action.metadata?.title === 'string') return action.metadata.title;
  }
  return undefined;
}

/** Every placeholder `$ref` in a converted schema, in document order. */
function placeholders(value: unknown, out: [number, Mode][] = []): [number, Mode][] {
  if (Array.isArray(value)) for (const item of value) placeholders(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const m = key === '$ref' && typeof item === 'string' ? PLACEHOLDER_RE.exec(item) : null;
      if (m) out.push([Number(m[1]), m[2] as Mode]);
      else placeholders(item, out);
    }
  }
  return out;
}

/**
 * The schemas of one document. Route schemas are converted inline; `docs.schemas` and the
 * targets of `v.lazy` (which need a name to refer to themselves) become `components.schemas`
 * entries, once each. A component used both as input and output whose two forms differ (a
 * transform, a Date) gets a second entry `<name>-Input`, as FastAPI does for pydantic models.
 * Call `convert` for every schema, then `finish` once with everything that holds the results.
 */
export class SchemaComponents {
  private readonly nodes: Node[] = [];
  private readonly byObject = new Map<unknown, Node>();
  private readonly byGetter = new Map<unknown, Node>();
  private readonly roots: { json: SchemaObject; where: string }[] = [];

  constructor(
    private readonly named: NamedSchemas,
    /** Names already in `components.schemas` (the error schemas). */
    private readonly reserved: ReadonlySet<string>,
  ) {
    for (const [name, schema] of Object.entries(named)) this.byObject.set(schema, this.node(schema, name));
  }

  private node(schema: AnySchema, named?: string): Node {
    const node: Node = { index: this.nodes.length, named, schema, content: {}, modes: new Set() };
    this.nodes.push(node);
    return node;
  }

  /**
   * A valibot schema as JSON Schema for one place in the document; `where` (e.g.
   * `PatientController_get_body`) names any unnamed recursive schema found in it. `inline`
   * writes the schema itself out even when it is a named one (a whole-query object).
   */
  convert(schema: AnySchema | undefined, mode: Mode, where: string, inline = false): SchemaObject {
    if (schema === undefined) return {};
    const json = this.raw(schema, mode, inline ? this.byObject.get(schema)?.named : undefined);
    this.roots.push({ json, where });
    return json;
  }

  /** `definition`: a `docs.schemas` name, to get that schema written out rather than as a `$ref`. */
  private raw(schema: AnySchema, mode: Mode, definition?: string): SchemaObject {
    const definitions = this.named as Record<string, v.GenericSchema>;
    const lazy = new Map<string, Node>();
    const overrideRef = ({ referenceId, valibotSchema, getterMap }: OverrideRefContext) => {
      let node = this.byObject.get(valibotSchema);
      if (node === undefined) {
        // a getter may build a new object per call (`v.lazy(() => v.object(...))`): key by the getter too
        const getter = [...getterMap].find(([, target]) => target === valibotSchema)?.[0];
        node = (getter && this.byGetter.get(getter)) ?? this.node(valibotSchema as AnySchema);
        this.byObject.set(valibotSchema, node);
        if (getter) this.byGetter.set(getter, node);
      }
      if (node.named === undefined) lazy.set(referenceId, node);
      return `${PLACEHOLDER}${node.index}/${mode}`;
    };
    let converted: SchemaObject;
    try {
      converted = toJsonSchema(schema as v.GenericSchema, {
        target: 'draft-2020-12',
        errorMode: 'ignore',
        typeMode: mode === 'input' ? 'input' : 'ignore',
        overrideSchema: mode === 'input' ? inputOverride : outputOverride,
        definitions,
        overrideRef,
      }) as SchemaObject;
    } catch {
      // the converter can still throw on exotic schemas: document "any value" rather than refuse to start
      return {};
    }
    // every definition comes back in `$defs`, its own refs already placeholders: keep what is ours
    const { $schema: _dialect, $defs, ...rest } = converted;
    const defs = ($defs ?? {}) as Record<string, SchemaObject>;
    for (const [id, node] of lazy) node.content[mode] ??= defs[id] ?? {};
    return definition === undefined ? rest : (defs[definition] ?? rest);
  }

  private contentOf(node: Node, mode: Mode): SchemaObject {
    if (node.content[mode] === undefined && node.named !== undefined) node.content[mode] = this.raw(node.schema, mode, node.named);
    return node.content[mode] ?? {};
  }

  private unique(wanted: string, taken: Set<string>): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  }

  /**
   * Names every component the document reaches, replaces the placeholder refs in `document`
   * (a copy is returned) and gives the `components.schemas` entries. Deterministic: names follow
   * the order of `convert` calls, never object identity or hashing.
   */
  finish<T>(document: T): { document: T; schemas: Record<string, SchemaObject> } {
    const taken = new Set([...this.reserved, ...Object.keys(this.named)]);
    const order: Node[] = [];
    const queue: [Node, Mode, string][] = [];
    const reach = (json: unknown, where: string) => {
      for (const [index, mode] of placeholders(json)) queue.push([this.nodes[index], mode, where]);
    };
    const drain = () => {
      while (queue.length > 0) {
        const [node, mode, where] = queue.shift() as [Node, Mode, string];
        if (node.modes.has(mode)) continue;
        node.modes.add(mode);
        if (node.name === undefined) {
          node.name = node.named ?? this.unique(titleOf(node.schema) ?? where, taken);
          order.push(node);
        }
        reach(this.contentOf(node, mode), node.name);
      }
    };
    for (const root of this.roots) reach(root.json, root.where);
    drain();
    // a named schema no route uses is still documented, as what a handler would return
    for (const node of this.nodes) if (node.named !== undefined && node.modes.size === 0) queue.push([node, 'output', node.named]);
    drain();

    // split: both forms used and different, directly or through a component they refer to
    const both = order.filter((n) => n.modes.size === 2);
    const normal = (json: SchemaObject) => JSON.stringify(sortKeys(json)).replace(/(#fb-node\/\d+)\/(?:input|output)/g, '$1');
    const split = new Set(both.filter((n) => normal(this.contentOf(n, 'input')) !== normal(this.contentOf(n, 'output'))));
    for (let changed = true; changed; ) {
      changed = false;
      for (const n of both) {
        if (split.has(n)) continue;
        const refs = [...placeholders(n.content.input), ...placeholders(n.content.output)];
        if (refs.some(([index]) => split.has(this.nodes[index]))) {
          split.add(n);
          changed = true;
        }
      }
    }
    for (const n of order) if (split.has(n)) n.inputName = this.unique(`${n.name}-Input`, taken);

    const nameOf = (index: number, mode: Mode) => {
      const node = this.nodes[index];
      return mode === 'input' && node.inputName !== undefined ? node.inputName : (node.name as string);
    };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const m = key === '$ref' && typeof item === 'string' ? PLACEHOLDER_RE.exec(item) : null;
        const resolved = m ? `#/components/schemas/${nameOf(Number(m[1]), m[2] as Mode)}` : resolve(item);
        // a schema property may be called `__proto__`: define it, never set the prototype
        Object.defineProperty(out, key, { value: resolved, enumerable: true, writable: true, configurable: true });
      }
      return out;
    };
    const schemas: Record<string, SchemaObject> = {};
    for (const n of order) {
      const main: Mode = n.modes.has('output') ? 'output' : 'input';
      schemas[n.name as string] = resolve(this.contentOf(n, main)) as SchemaObject;
      if (n.inputName !== undefined) schemas[n.inputName] = resolve(this.contentOf(n, 'input')) as SchemaObject;
    }
    return { document: resolve(document) as T, schemas };
  }
}
