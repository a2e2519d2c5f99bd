import { Validator } from '@seriousme/openapi-schema-validator';
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

// biome-ignore lint/suspicious/noExplicitAny: test access into a JSON document
export type Doc = any;
