import { addRoute } from '../metadata/store.ts';
import type { HttpMethod } from '../metadata/types.ts';

function route(method: HttpMethod) {
  return (path = '/'): MethodDecorator =>
    (target, key) => {
      addRoute(target.constructor, { method, path, handlerName: String(key) });
    };
}

/** @example @Get('/:id') get(@Param('id') id: string) {} */
export const Get = route('GET');
/** @example @Post('/') @Status(201) create(@Body(NewThing) body: NewThing) {} */
export const Post = route('POST');
/** @example @Put('/:id') replace(@Param('id') id: string, @Body(Thing) body: Thing) {} */
export const Put = route('PUT');
/** @example @Patch('/:id') update(@Param('id') id: string, @Body(ThingPatch) body: ThingPatch) {} */
export const Patch = route('PATCH');
/** @example @Delete('/:id') remove(@Param('id') id: string) {} */
export const Delete = route('DELETE');
