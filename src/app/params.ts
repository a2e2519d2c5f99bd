import type * as v from 'valibot';
import type { Extractor } from '../kernel/battery.ts';
import type { AnySchema, ParamMeta, RouteDefinition } from '../kernel/definitions.ts';
import { UnprocessableEntityError, type ValidationIssue } from '../kernel/http-errors.ts';
import { hasPathParam } from '../kernel/path-template.ts';
import { type SchemaResult, schemaRunner } from '../kernel/validate.ts';
import { assertAcceptsStrings, queryGetter } from './string-params.ts';

const MAX_ISSUES = 20;
const MAX_MESSAGE = 200;

/** valibot issues as `[{ path, message }]`, capped so huge input is never echoed back. */
export function toIssues(issues: readonly v.BaseIssue<unknown>[], prefix: (string | number)[]): ValidationIssue[] {
  return issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [...prefix];
    for (const item of issue.path ?? []) {
      // valibot's path items carry a `key`; another Standard Schema's may be the key itself
      const key = typeof item === 'object' && item !== null ? (item as { key?: unknown }).key : item;
      path.push(typeof key === 'number' ? key : String(key).slice(0, 100));
    }
    const message = issue.message.length > MAX_MESSAGE ? `${issue.message.slice(0, MAX_MESSAGE)}...` : issue.message;
    return { path, message };
  });
}

/** A compiled validator: sync when the schema is, so sync routes never pay for a promise. */
export function compileValidator(schema: AnySchema, prefix: (string | number)[]): (input: unknown) => unknown {
  // the schema's own valibot runs it, with the user's global settings (kernel/validate.ts)
  const run = schemaRunner(schema);
  if (schema.async) {
    return async (input) => {
      const result = await run(input);
      if (result.issues === undefined) return result.value;
      throw new UnprocessableEntityError('Request validation failed', toIssues(result.issues, prefix));
    };
  }
  const settle = (result: SchemaResult): unknown => {
    if (result.issues === undefined) return result.value;
    throw new UnprocessableEntityError('Request validation failed', toIssues(result.issues, prefix));
  };
  return (input) => {
    const result = run(input);
    // a Standard Schema that is async without saying so (valibot's set `async`): awaited, never read as a result
    return typeof (result as { then?: unknown }).then === 'function'
      ? Promise.resolve(result).then(settle)
      : settle(result as SchemaResult);
  };
}

function withSchema(get: Extractor, schema: AnySchema | undefined, prefix: (string | number)[]): Extractor {
  if (schema === undefined) return get;
  const validate = compileValidator(schema, prefix);
  return (ctx) => validate(get(ctx));
}

function describe(definition: RouteDefinition, param?: ParamMeta): string {
  return `${definition.controllerName}.${definition.handlerName}${param ? ` parameter ${param.index}` : ''}`;
}

/**
 * One extractor per handler argument, built at start-up. Fails fast on an undecorated
 * parameter or a `@Param` the path does not declare. An extractor returns its value, or a
 * native Promise of it (the body, an async schema): the pipeline awaits only those.
 */
export function compileExtractors(
  definition: RouteDefinition,
  external: (param: ParamMeta) => Extractor | undefined,
): { extractors: Extractor[] } {
  const byIndex = new Map<number, ParamMeta>();
  for (const p of definition.params) {
    if (byIndex.has(p.index)) throw new TypeError(`${describe(definition, p)} has more than one parameter decorator`);
    byIndex.set(p.index, p);
  }
  const count = Math.max(definition.arity, ...definition.params.map((p) => p.index + 1), 0);
  const extractors: Extractor[] = [];
  for (let index = 0; index < count; index++) {
    const param = byIndex.get(index);
    if (!param) {
      throw new TypeError(
        `${describe(definition)} parameter ${index} has no decorator: list one spec per parameter after the path, ` +
          `e.g. @Get('/:id', Param('id')) (Param, Query, Body, Header, Ctx, User, Token or Db), or with experimentalDecorators decorate it, @Param('id')`,
      );
    }
    extractors.push(compileOne(definition, param, external));
  }
  return { extractors };
}

function compileOne(definition: RouteDefinition, param: ParamMeta, external: (param: ParamMeta) => Extractor | undefined): Extractor {
  assertAcceptsStrings(param, describe(definition, param));
  switch (param.kind) {
    case 'param': {
      const name = param.name as string;
      if (!hasPathParam(definition.path, name)) {
        // FastAPI and OpenAPI write `{id}`; the router's templates are `:id`
        const hint = definition.path.includes(`{${name}}`) ? ` (write path parameters as :${name}, not {${name}})` : '';
        throw new TypeError(`${describe(definition, param)}: @Param('${name}') is not in the path ${definition.path}${hint}`);
      }
      return withSchema((ctx) => ctx.params[name], param.schema, ['path', name]);
    }
    case 'query': {
      const name = param.name;
      // a list schema gets a lone value as a one-item list; any other reads the query as it is
      const read = queryGetter(param.schema, name);
      const get: Extractor =
        read !== undefined ? (ctx) => read(ctx.query) : name === undefined ? (ctx) => ctx.query : (ctx) => ctx.query[name];
      return withSchema(get, param.schema, name === undefined ? ['query'] : ['query', name]);
    }
    case 'header': {
      const name = param.name as string;
      return withSchema((ctx) => ctx.request.headers.get(name) ?? undefined, param.schema, ['header', name]);
    }
    case 'body': {
      // fetch() refuses to send a GET body and proxies drop it: the route could never succeed
      if (definition.method === 'GET') {
        throw new TypeError(
          `${describe(definition, param)}: a GET request carries no body; read Query() instead, or make the route a POST`,
        );
      }
      if (param.schema === undefined) return (ctx) => ctx.body();
      const validate = compileValidator(param.schema, ['body']);
      return (ctx) => ctx.body().then(validate);
    }
    case 'ctx':
      return (ctx) => ctx;
    default: {
      const extractor = external(param);
      if (!extractor) {
        throw new TypeError(
          `${describe(definition, param)}: @${param.kind[0].toUpperCase()}${param.kind.slice(1)}() needs a battery that is not enabled`,
        );
      }
      return extractor;
    }
  }
}
