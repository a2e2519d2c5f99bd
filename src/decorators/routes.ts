import type { HttpMethod, ParamMeta } from '../kernel/definitions.ts';
import { addRoute } from '../metadata/store.ts';
import { isParamSpec, type ParamSpec } from './params.ts';
import { checkMethod, defer, isStandardContext, problem, type RouteDecorator, usedWithoutCall } from './standard.ts';

/** `@Get(path, ...specs)` and its siblings (typed explicitly so JSR's published types stay fast). */
export type RouteFactory = (path?: string, ...specs: ParamSpec[]) => RouteDecorator;

function route(method: HttpMethod): RouteFactory {
  const label = `${method[0]}${method.slice(1).toLowerCase()}`;
  return (path = '/', ...specs: ParamSpec[]): RouteDecorator => {
    if (usedWithoutCall(label, [path, ...specs])) return undefined as unknown as RouteDecorator;
    const bad = specs.findIndex((s) => !isParamSpec(s));
    return ((target: object, keyOrContext: unknown, descriptor?: unknown) => {
      if (!checkMethod(label, target, keyOrContext, descriptor)) return;
      if (typeof path !== 'string' || bad >= 0) {
        const what = typeof path !== 'string' ? `the path (${typeof path}) is not a string` : `argument ${bad + 2} is not a parameter spec`;
        problem(target, keyOrContext, (where) => `@${label} on ${where}: ${what}: write @${label}('/path', Param('id'), Query('q'), ...)`);
        return;
      }
      // The specs are listed only when given: none means "no parameters" or legacy parameter decorators.
      const params: ParamMeta[] | undefined = specs.length > 0 ? specs.map((s, index) => ({ index, ...s.param })) : undefined;
      const name = isStandardContext(keyOrContext) ? String(keyOrContext.name) : String(keyOrContext);
      const record = { method, path, handlerName: name, ...(params ? { specs: params } : {}) };
      if (isStandardContext(keyOrContext)) defer(target, keyOrContext, (ctor) => addRoute(ctor, record));
      else addRoute(target.constructor, record);
    }) as RouteDecorator;
  };
}

/**
 * Parameter specs follow the path, one per handler argument, in order; they work in both
 * decorator modes (with `experimentalDecorators`, parameter decorators work too).
 * @example @Get('/:id', Param('id'), Query('expand')) get(id: string, expand?: string) {}
 */
export const Get: RouteFactory = route('GET');
/** @example @Post('/', Body(NewThing)) @Status(201) create(body: NewThing) {} */
export const Post: RouteFactory = route('POST');
/** @example @Put('/:id', Param('id'), Body(Thing)) replace(id: string, body: Thing) {} */
export const Put: RouteFactory = route('PUT');
/** @example @Patch('/:id', Param('id'), Body(ThingPatch)) update(id: string, body: ThingPatch) {} */
export const Patch: RouteFactory = route('PATCH');
/** @example @Delete('/:id', Param('id')) remove(id: string) {} */
export const Delete: RouteFactory = route('DELETE');
