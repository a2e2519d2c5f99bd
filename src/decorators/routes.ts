import { addRoute } from '../metadata/store.ts';
import type { HttpMethod } from '../metadata/types.ts';

/** `@Get(path)` and its siblings (typed explicitly so JSR's published types stay fast). */
export type RouteFactory = (path?: string) => MethodDecorator;

function route(method: HttpMethod): RouteFactory {
  return (path = '/'): MethodDecorator =>
    (target, key) => {
      addRoute(target.constructor, { method, path, handlerName: String(key) });
    };
}

/** @example @Get('/:id') get(@Param('id') id: string) {} */
export const Get: RouteFactory = route('GET');
/** @example @Post('/') @Status(201) create(@Body(NewThing) body: NewThing) {} */
export const Post: RouteFactory = route('POST');
/** @example @Put('/:id') replace(@Param('id') id: string, @Body(Thing) body: Thing) {} */
export const Put: RouteFactory = route('PUT');
/** @example @Patch('/:id') update(@Param('id') id: string, @Body(ThingPatch) body: ThingPatch) {} */
export const Patch: RouteFactory = route('PATCH');
/** @example @Delete('/:id') remove(@Param('id') id: string) {} */
export const Delete: RouteFactory = route('DELETE');
