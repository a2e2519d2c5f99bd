import { isController, setController } from '../metadata/store.ts';
import { type ControllerDecorator, flushPending, isStandardContext, problem, usedWithoutCall } from './standard.ts';

/**
 * Marks a class as a controller; every route path is prefixed with `prefix`.
 * @example
 * @Controller('/patients')
 * class PatientController { @Get('/:id', Param('id')) get(id: string) { return { id }; } }
 */
export function Controller(prefix = '/', ...bare: []): ControllerDecorator {
  if (typeof prefix === 'function') {
    // `@Controller` without parentheses: still a controller, so createApp names the mistake
    const context: unknown = (bare as unknown[])[0];
    if (isController(prefix)) problem(prefix, context, (where) => `@Controller on ${where} is applied twice: keep one`);
    setController(prefix, { prefix: '/' });
    if (isStandardContext(context)) flushPending(prefix, context);
    usedWithoutCall('Controller', [prefix, ...bare]);
    return undefined as unknown as ControllerDecorator;
  }
  return ((target: Function, context?: unknown) => {
    if (isStandardContext(context)) {
      if (context.kind !== 'class') {
        problem(target, context, (where) => `@Controller on ${where}: it belongs on a class`);
        return;
      }
      flushPending(target, context);
    } else if (typeof target !== 'function') {
      problem(target, context, (where) => `@Controller on ${where}: it belongs on a class`);
      return;
    }
    if (typeof prefix !== 'string') {
      problem(
        target,
        context,
        (where) => `@Controller on ${where}: the prefix (${typeof prefix}) is not a string: write @Controller('/prefix')`,
      );
    }
    if (isController(target)) {
      // the outer one would silently replace the inner one's prefix
      problem(target, context, (where) => `@Controller on ${where} is applied twice: keep one`);
    }
    setController(target, { prefix: String(prefix) });
  }) as ControllerDecorator;
}
