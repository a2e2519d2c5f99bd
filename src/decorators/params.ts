import type { AnySchema, ParamKind } from '../kernel/definitions.ts';
import { addParam } from '../metadata/store.ts';
import { isStandardContext, problem, rejectSymbolKey } from './standard.ts';

/** Where one handler argument comes from: `kind`, plus the name and schema where they apply. */
export interface ParamSource {
  readonly kind: ParamKind;
  readonly name?: string;
  readonly schema?: AnySchema;
}

/**
 * A parameter spec: listed after the path in a route decorator (`@Get('/:id', Param('id'))`,
 * both decorator modes), or applied as a legacy parameter decorator (`@Param('id') id: string`,
 * needs `experimentalDecorators`).
 */
export type ParamSpec = ParameterDecorator & { readonly param: ParamSource };

export function isParamSpec(value: unknown): value is ParamSpec {
  return typeof value === 'function' && typeof (value as Partial<ParamSpec>).param?.kind === 'string';
}

const LABEL: Record<ParamKind, string> = {
  param: 'Param',
  query: 'Query',
  body: 'Body',
  header: 'Header',
  ctx: 'Ctx',
  user: 'User',
  token: 'Token',
  db: 'Db',
};

function param(kind: ParamKind, name?: string, schema?: AnySchema): ParamSpec {
  const label = LABEL[kind];
  const decorator = (target: object, key: string | symbol | undefined, index: unknown): void => {
    rejectSymbolKey(label, target, key);
    if (typeof index === 'number' && key !== undefined && typeof target === 'object') {
      addParam(target.constructor, String(key), { index, kind, name, schema });
      return;
    }
    const fix = `list it in the route decorator instead, e.g. @Get('/:id', ${label}(...)) (parameter decorators need "experimentalDecorators": true)`;
    if (isStandardContext(key) || typeof index !== 'number') {
      problem(target, key, (where) => `${label}(...) on ${where} is not on a parameter: ${fix}`);
    } else {
      problem(
        target,
        key,
        (where) => `@${label} on ${where}: parameter decorators belong on route methods, not constructors or static methods`,
      );
    }
  };
  Object.defineProperty(decorator, 'param', { value: Object.freeze({ kind, name, schema }) });
  return decorator as unknown as ParamSpec;
}

/**
 * `@Param` instead of `@Param('id')`: the factory itself received a decorator's arguments
 * (`(target, key, index)`, or a standard `(value, context)`). Recorded, then nothing is applied.
 */
function usedBare(label: string, args: readonly unknown[]): boolean {
  const [target, key, index] = args;
  const isSchema = (target as { kind?: unknown } | null)?.kind === 'schema';
  if (isSchema || !(typeof index === 'number' || isStandardContext(key)) || typeof target === 'string') return false;
  problem(target, key, (where) => `@${label} on ${where} is used without parentheses: write ${label}(...)`);
  return true;
}

/**
 * A decoded path parameter, optionally validated (422 on failure).
 * @example
 * @Get('/:id', Param('id', v.pipe(v.string(), v.uuid()))) get(id: string) {}
 * // legacy (experimentalDecorators): @Get('/:id') get(@Param('id', v.pipe(v.string(), v.uuid())) id: string) {}
 */
export function Param(name: string, schema?: AnySchema, ...bare: []): ParamSpec {
  if (usedBare('Param', [name, schema, ...bare])) return undefined as unknown as ParamSpec;
  return param('param', name, schema);
}

/**
 * One query parameter (`Query('page')`, a string, or an array when repeated), or with no
 * name the whole query object validated by the schema.
 * @example @Get('/', Query(v.object({ page: v.optional(v.string()) }))) list(q: { page?: string }) {}
 */
export function Query(nameOrSchema?: string | AnySchema, schema?: AnySchema, ...bare: []): ParamSpec {
  if (usedBare('Query', [nameOrSchema, schema, ...bare])) return undefined as unknown as ParamSpec;
  return typeof nameOrSchema === 'string' ? param('query', nameOrSchema, schema) : param('query', undefined, nameOrSchema);
}

/**
 * The JSON body, parsed once, size-limited and validated (415/413/400/422 on failure).
 * @example @Post('/', Body(NewPatient)) create(body: v.InferOutput<typeof NewPatient>) {}
 */
export function Body(schema?: AnySchema, ...bare: []): ParamSpec {
  if (usedBare('Body', [schema, ...bare])) return undefined as unknown as ParamSpec;
  return param('body', undefined, schema);
}

/** A request header (case-insensitive), `undefined` when absent. @example @Get('/', Header('accept-language')) get(lang?: string) {} */
export function Header(name: string, schema?: AnySchema, ...bare: []): ParamSpec {
  if (usedBare('Header', [name, schema, ...bare])) return undefined as unknown as ParamSpec;
  return param('header', name.toLowerCase(), schema);
}

/** The request context: request, env, waitUntil, requestId, logger, params. @example @Get('/', Ctx()) get(ctx: RequestContext) {} */
export function Ctx(...bare: []): ParamSpec {
  return usedBare('Ctx', bare) ? (undefined as unknown as ParamSpec) : param('ctx');
}

/** The validated JWT user (`ValidatedUser`); 403 when the token has no user id claim. @example @Get('/me', User()) me(user: ValidatedUser) {} */
export function User(...bare: []): ParamSpec {
  return usedBare('User', bare) ? (undefined as unknown as ParamSpec) : param('user');
}

/** The verified token's scopes and claims (`TokenData`). @example @Get('/me', Token()) me(token: TokenData) {} */
export function Token(...bare: []): ParamSpec {
  return usedBare('Token', bare) ? (undefined as unknown as ParamSpec) : param('token');
}

/** The database (per request on Workers). @example @Get('/', Db()) list(db: Database) { return db.many(sql`select 1`); } */
export function Db(...bare: []): ParamSpec {
  return usedBare('Db', bare) ? (undefined as unknown as ParamSpec) : param('db');
}
