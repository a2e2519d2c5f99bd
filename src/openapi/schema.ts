import { type ConversionConfig, type JsonSchema, toJsonSchema, toJsonSchemaDefs } from '@valibot/to-json-schema';
import * as v from 'valibot';
import type { AnySchema } from '../metadata/types.ts';

/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) as plain data. */
export type SchemaObject = Record<string, unknown>;

const OPTIONAL_TYPES = new Set(['optional', 'exact_optional', 'nullish', 'undefinedable', 'any', 'unknown']);

// Types JSON cannot carry get the shape `toJson` actually sends instead of an empty schema.
const overrideSchema: ConversionConfig['overrideSchema'] = ({ valibotSchema }) => {
  switch (valibotSchema.type) {
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'bigint':
      return { type: ['integer', 'string'] };
    default:
      return undefined;
  }
};

const overrideRef: ConversionConfig['overrideRef'] = ({ referenceId }) => `#/components/schemas/${referenceId}`;
const baseConfig = { target: 'draft-2020-12', errorMode: 'ignore', overrideSchema } as const satisfies ConversionConfig;

/**
 * A valibot schema as a JSON Schema for OpenAPI 3.1. `mode: 'input'` describes what a client
 * sends (conversion stops before a transform); `'output'` what a handler returns. Anything the
 * converter cannot express (custom checks, async refinements) is left out rather than failing.
 */
export function jsonSchemaOf(schema: AnySchema | undefined, mode: 'input' | 'output', named?: NamedSchemas): SchemaObject {
  if (schema === undefined) return {};
  let converted: JsonSchema;
  try {
    converted = toJsonSchema(schema as v.GenericSchema, {
      ...baseConfig,
      typeMode: mode === 'input' ? 'input' : 'ignore',
      ...(named && Object.keys(named).length > 0 ? { definitions: named as Record<string, v.GenericSchema>, overrideRef } : {}),
    });
  } catch {
    // the converter can still throw on exotic schemas: document "any value" rather than refuse to start
    return {};
  }
  // named schemas live once in components.schemas, not in a `$defs` copy per use
  const { $schema: _dialect, $defs: _defs, ...rest } = converted as SchemaObject;
  return rest;
}

/** Schemas given names (`docs.schemas`): each becomes `components.schemas.<name>` and is referenced by `$ref`. */
export type NamedSchemas = Record<string, AnySchema>;

/** The `components.schemas` entries for the named schemas. */
export function namedJsonSchemas(named: NamedSchemas): Record<string, SchemaObject> {
  if (Object.keys(named).length === 0) return {};
  try {
    return toJsonSchemaDefs(named as Record<string, v.GenericSchema>, { ...baseConfig, overrideRef }) as Record<string, SchemaObject>;
  } catch {
    return Object.fromEntries(Object.keys(named).map((name) => [name, {}]));
  }
}

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
