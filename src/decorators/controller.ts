import { setController } from '../metadata/store.ts';

/**
 * Marks a class as a controller; every route path is prefixed with `prefix`.
 * @example
 * @Controller('/patients')
 * class PatientController { @Get('/:id') get(@Param('id') id: string) { return { id }; } }
 */
export function Controller(prefix = '/'): ClassDecorator {
  return (target) => setController(target, { prefix });
}
