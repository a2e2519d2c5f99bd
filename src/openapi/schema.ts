import { type ConversionConfig, type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
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

/**
 * A valibot schema as a JSON Schema for OpenAPI 3.1. `mode: 'input'` describes what a client
 * sends (conversion stops before a transform); `'output'` what a handler returns. Anything the
 * converter cannot express (custom checks, async refinements) is left out rather than failing.
 */
export function jsonSchemaOf(schema: AnySchema | undefined, mode: 'input' | 'output'): SchemaObject {
  if (schema === undefined) return {};
  let converted: JsonSchema;
  try {
    converted = toJsonSchema(schema as v.GenericSchema, {
      target: 'draft-2020-12',
      typeMode: mode === 'input' ? 'input' : 'ignore',
      errorMode: 'ignore',
      overrideSchema,
    });
  } catch {
    // the converter can still throw on exotic schemas: document "any value" rather than refuse to start
    return {};
  }
  const { $schema: _dialect, ...rest } = converted as SchemaObject;
  return rest;
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
