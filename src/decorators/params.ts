import { addParam } from '../metadata/store.ts';
import type { AnySchema, ParamKind } from '../metadata/types.ts';

function param(kind: ParamKind, name?: string, schema?: AnySchema): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new TypeError(`@${kind} decorators belong on route methods, not constructors`);
    addParam((target as object).constructor, String(key), { index, kind, name, schema });
  };
}

/**
 * A decoded path parameter, optionally validated (422 on failure).
 * @example @Get('/:id') get(@Param('id', v.pipe(v.string(), v.uuid())) id: string) {}
 */
export function Param(name: string, schema?: AnySchema): ParameterDecorator {
  return param('param', name, schema);
}

/**
 * One query parameter (`@Query('page')`, a string, or an array when repeated), or with no
 * name the whole query object validated by the schema.
 * @example list(@Query(v.object({ page: v.optional(v.string()) })) q: { page?: string }) {}
 */
export function Query(nameOrSchema?: string | AnySchema, schema?: AnySchema): ParameterDecorator {
  return typeof nameOrSchema === 'string' ? param('query', nameOrSchema, schema) : param('query', undefined, nameOrSchema);
}

/**
 * The JSON body, parsed once, size-limited and validated (415/413/400/422 on failure).
 * @example create(@Body(NewPatient) body: v.InferOutput<typeof NewPatient>) {}
 */
export function Body(schema?: AnySchema): ParameterDecorator {
  return param('body', undefined, schema);
}

/** A request header (case-insensitive), `undefined` when absent. @example get(@Header('accept-language') lang?: string) {} */
export function Header(name: string, schema?: AnySchema): ParameterDecorator {
  return param('header', name.toLowerCase(), schema);
}

/** The request context: request, env, waitUntil, requestId, logger, params. @example get(@Ctx() ctx: RequestContext) {} */
export function Ctx(): ParameterDecorator {
  return param('ctx');
}

/** The validated JWT user (`ValidatedUser`); 403 when the token has no user id claim. @example me(@User() user: ValidatedUser) {} */
export function User(): ParameterDecorator {
  return param('user');
}

/** The verified token's scopes and claims (`TokenData`). @example me(@Token() token: TokenData) {} */
export function Token(): ParameterDecorator {
  return param('token');
}

/** The database (per request on Workers). @example list(@Db() db: Database) { return db.many(sql`select 1`); } */
export function Db(): ParameterDecorator {
  return param('db');
}
