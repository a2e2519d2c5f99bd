import * as v from 'valibot';
import type { AnySchema } from './definitions.ts';

/** A schema run: its output, or its valibot issues (a Standard Schema result). */
export type SchemaResult = { readonly value: unknown; readonly issues?: undefined } | { readonly issues: readonly v.BaseIssue<unknown>[] };

/**
 * Runs `schema` through its own Standard Schema `validate`, so the valibot copy that built it
 * decides, with that copy's global settings (`setGlobalConfig({ lang, abortEarly })`,
 * `setGlobalMessage`, `@valibot/i18n`): the published package bundles a copy of valibot of its own,
 * whose `safeParse` would read its own, empty, settings. Read once per schema (valibot builds the
 * `~standard` object on each access); async schemas give a promise.
 * @example const run = schemaRunner(v.string()); run(1).issues?.[0].message; // 'Invalid type: Expected string but received 1'
 */
export function schemaRunner(schema: AnySchema): (input: unknown) => SchemaResult | Promise<SchemaResult> {
  const standard = (schema as { '~standard'?: { validate?: (value: unknown) => SchemaResult | Promise<SchemaResult> } })['~standard'];
  const validate = standard?.validate;
  if (typeof validate === 'function') return (input) => validate.call(standard, input);
  // not a Standard Schema (valibot before 1.0): this copy's parse
  if (schema.async) return (input) => v.safeParseAsync(schema, input).then(fromParse);
  return (input) => fromParse(v.safeParse(schema as v.GenericSchema, input));
}

function fromParse(result: { success: boolean; output: unknown; issues?: readonly v.BaseIssue<unknown>[] }): SchemaResult {
  return result.success ? { value: result.output } : { issues: result.issues ?? [] };
}

/** valibot's wrapper schemas (`v.optional(x)`, `v.nullable(x)`...): `wrapped` is the schema inside. */
const WRAPPERS = new Set([
  'optional',
  'exact_optional',
  'nullable',
  'nullish',
  'undefinedable',
  'non_nullable',
  'non_nullish',
  'non_optional',
]);

/** Whether a schema type only wraps another (`optional`, `nullable`, ...). */
export function isWrapperType(type: string | undefined): boolean {
  return type !== undefined && WRAPPERS.has(type);
}

/** The schema inside every optional/nullable wrapper: what kind of value it holds. */
export function unwrapSchema<T extends { type?: string; wrapped?: unknown }>(schema: T): T {
  let inner = schema;
  while (isWrapperType(inner.type) && inner.wrapped !== undefined) inner = inner.wrapped as T;
  return inner;
}
