import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'vitest';
import type { AppOptions } from '../../src/app/options.ts';
import { readController } from '../../src/metadata/store.ts';
import { buildOpenApiDocument, type DocumentInput } from '../../src/openapi/document.ts';
import { controllers } from '../fixtures/openapi-everything.ts';

/** The real OpenAPI 3.1 schema validator; throws with its errors so a failure says why. */
export async function expectValidOpenApi(document: unknown): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(document as Record<string, unknown>);
  if (!result.valid) throw new Error(`invalid OpenAPI document: ${JSON.stringify(result.errors, null, 2)}`);
  if (validator.version !== '3.1') throw new Error(`validated as OpenAPI ${validator.version}, not 3.1`);
}

/** The everything-fixture's document, from the same route definitions `createApp` reads. */
export function fixtureDocument(options: AppOptions = {}, routes: DocumentInput['routes'] = []): Doc {
  return buildOpenApiDocument({
    options: { title: 'Things <API>', version: '2.0.0', description: 'Every decorator', ...options },
    definitions: controllers.flatMap((c) => readController(c).routes),
    routes,
    hidden: (path) => path === '/metrics' || path === '/openapi.json' || path.startsWith('/docs'),
  });
}

/** Every `$ref` in a document, so a test can check each one resolves. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') out.push(item);
      else refsOf(item, out);
    }
  }
  return out;
}

/** Every `$ref` of a document points at a schema in components.schemas. */
export function expectRefsResolve(doc: Doc): void {
  for (const ref of refsOf(doc)) {
    expect(ref).toMatch(/^#\/components\/schemas\//);
    expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test access into a JSON document
export type Doc = any;
