import * as v from 'valibot';
import { booleanVar, type ConfigGroup, ENVIRONMENTS, type Environment, environmentProblem, integerVar } from './env.ts';

export interface GeneralConfig {
  ENVIRONMENT: Environment;
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  MAX_BODY_BYTES: number;
  ALLOW_DROP_DATA: boolean;
  IGNORE_JWT_VALIDATION: boolean;
  /** `true` when ENVIRONMENT is PRODUCTION (the default). */
  production: boolean;
}

const LEVELS = { DEBUG: 'debug', INFO: 'info', WARN: 'warn', WARNING: 'warn', ERROR: 'error', CRITICAL: 'error' } as const;

export const generalGroup: ConfigGroup<GeneralConfig> = {
  name: 'general',
  schema: v.pipe(
    v.looseObject({
      // blank counts as unset (PRODUCTION), as for every other variable; no case folding and no
      // trimming: `staging` and `DEVELOPMENT\n` were PRODUCTION to the Python package, so they
      // are refused, not guessed
      ENVIRONMENT: v.optional(
        v.pipe(
          v.string(),
          v.transform((s) => (s.trim() === '' ? 'PRODUCTION' : s)),
          v.picklist(ENVIRONMENTS, (issue) => environmentProblem(String(issue.input))),
        ),
        'PRODUCTION',
      ),
      LOG_LEVEL: v.optional(
        v.pipe(
          v.string(),
          v.trim(),
          v.toUpperCase(),
          v.picklist(Object.keys(LEVELS) as (keyof typeof LEVELS)[], 'must be DEBUG, INFO, WARNING or ERROR'),
          v.transform((s) => LEVELS[s]),
        ),
        'INFO',
      ),
      MAX_BODY_BYTES: integerVar(1024 * 1024, 1),
      ALLOW_DROP_DATA: booleanVar(false),
      IGNORE_JWT_VALIDATION: booleanVar(false),
    }),
    // partial checks run even when another variable is invalid, so one error still lists them all
    v.partialCheck(
      [['ENVIRONMENT'], ['ALLOW_DROP_DATA']],
      (c) => !(c.ENVIRONMENT === 'PRODUCTION' && c.ALLOW_DROP_DATA),
      'ALLOW_DROP_DATA: is refused when ENVIRONMENT is PRODUCTION',
    ),
    v.partialCheck(
      [['ENVIRONMENT'], ['IGNORE_JWT_VALIDATION']],
      (c) => !(c.ENVIRONMENT === 'PRODUCTION' && c.IGNORE_JWT_VALIDATION),
      'IGNORE_JWT_VALIDATION: is refused when ENVIRONMENT is PRODUCTION',
    ),
    v.transform((c) => ({
      ENVIRONMENT: c.ENVIRONMENT,
      LOG_LEVEL: c.LOG_LEVEL,
      MAX_BODY_BYTES: c.MAX_BODY_BYTES,
      ALLOW_DROP_DATA: c.ALLOW_DROP_DATA,
      IGNORE_JWT_VALIDATION: c.IGNORE_JWT_VALIDATION,
      production: c.ENVIRONMENT === 'PRODUCTION',
    })),
  ),
};
