/** Every decorator-metadata key the framework writes, in one place (NestJS `constants.ts` style). */
export const CONTROLLER_KEY = 'fetch-batteries:controller';
export const ROUTES_KEY = 'fetch-batteries:routes';
export const PARAMS_KEY = 'fetch-batteries:params';
export const METHOD_OPTIONS_KEY = 'fetch-batteries:method-options';
export const CLASS_OPTIONS_KEY = 'fetch-batteries:class-options';
export const PROBLEMS_KEY = 'fetch-batteries:problems';
