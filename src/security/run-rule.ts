import type { Environment } from '../kernel/config/env.ts';
import type { RequestContext, TokenData } from '../kernel/context.ts';
import { ForbiddenError } from '../kernel/http-errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { evaluate } from './rules/combinators.ts';
import type { Rule, RuleEnvironment } from './rules/environment.ts';
import { missingScopesMessage } from './rules/vocabulary.ts';

// Runs on every request to a @Secured route: it builds no arrow function per request (a method
// instead), so a synchronous rule costs two small objects and no promise.

/** What the route's rule runs with, fixed at start. */
export interface RuleSetting {
  environment: Environment;
  production: boolean;
  /** `IGNORE_JWT_VALIDATION` outside production: a denial is logged and let through. */
  ignoreRules: boolean;
}

/** The request's logger with the route and request id added to every line (for rules). */
class RouteLogger implements Logger {
  constructor(
    private readonly logger: Logger,
    private readonly ctx: RequestContext,
  ) {
    // bound: a rule may take a method off the logger (`const { warn } = env.logger`)
    this.debug = this.debug.bind(this);
    this.info = this.info.bind(this);
    this.warn = this.warn.bind(this);
    this.error = this.error.bind(this);
  }
  private fields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
    return { ...fields, route: this.ctx.route, requestId: this.ctx.requestId };
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.logger.debug(message, this.fields(fields));
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.logger.info(message, this.fields(fields));
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.logger.warn(message, this.fields(fields));
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.logger.error(message, this.fields(fields));
  }
}

/** What the body reader threw, when a rule read the body: the caller's error (400, 413, 415, 499), not the rule's. */
interface BodyOutcome {
  failed: boolean;
  error: unknown;
}

function environmentFor(ctx: RequestContext, data: TokenData, setting: RuleSetting, outcome: BodyOutcome): RuleEnvironment {
  // data properties and one method only: an accessor would take every literal off V8's fast path
  return {
    scopes: data.scopes,
    claims: data.claims,
    request: ctx.request,
    params: ctx.params,
    query: ctx.query,
    body() {
      const body = ctx.body();
      // the same promise goes to the rule (registered first, so this runs before the rule's
      // catch); a rule that drops it leaves no unhandled rejection
      body.then(undefined, (error: unknown) => {
        outcome.failed = true;
        outcome.error = error;
      });
      return body;
    },
    environment: setting.environment,
    production: setting.production,
    logger: new RouteLogger(ctx.logger, ctx),
    missingScopes: [],
  };
}

function failed(ctx: RequestContext, check: Rule, outcome: BodyOutcome, error: unknown): never {
  // the combinators pass a rule's error on as is, so a body error is still the same object here
  if (outcome.failed && error === outcome.error) throw error;
  // fail closed: a broken rule denies, even where IGNORE_JWT_VALIDATION ignores verdicts
  ctx.logger.warn('security rule failed', {
    route: ctx.route,
    requestId: ctx.requestId,
    rule: check.name,
    error: String((error as Error)?.message ?? error),
  });
  throw new ForbiddenError();
}

function decide(ctx: RequestContext, check: Rule, setting: RuleSetting, env: RuleEnvironment, verdict: boolean): void {
  if (verdict) return;
  // operators rely on this line (the Python package wrote it) to see why a caller was refused
  const missing = env.missingScopes ?? [];
  if (missing.length > 0)
    ctx.logger.warn(missingScopesMessage(missing), { route: ctx.route, requestId: ctx.requestId, rule: 'scopes_present' });
  if (setting.ignoreRules) {
    ctx.logger.warn('IGNORE_JWT_VALIDATION: rule denied the request, allowing it anyway', {
      route: ctx.route,
      requestId: ctx.requestId,
      rule: check.name,
    });
    return;
  }
  ctx.logger.info('security rule denied the request', { route: ctx.route, requestId: ctx.requestId, rule: check.name });
  throw new ForbiddenError();
}

/**
 * Runs a route's rule for a request whose token is verified: returns when it allows, throws
 * ForbiddenError when it denies or fails (a body error passes through as it is). Synchronous when
 * the rule is (scopes, claims, path, query).
 * @example runRule(ctx, token, match_keys({ patient_id: 'patient_id' }), setting);
 */
export function runRule(ctx: RequestContext, data: TokenData, check: Rule, setting: RuleSetting): void | Promise<void> {
  const outcome: BodyOutcome = { failed: false, error: undefined };
  const env = environmentFor(ctx, data, setting, outcome);
  // `evaluate` refuses a verdict that is not a boolean (a rule that forgot its `return`): a failure,
  // which IGNORE_JWT_VALIDATION must not let through, not a denial
  let verdict: boolean | Promise<boolean>;
  try {
    verdict = evaluate(check, env);
  } catch (error) {
    return failed(ctx, check, outcome, error);
  }
  if (typeof verdict === 'boolean') return decide(ctx, check, setting, env, verdict);
  return verdict.then(
    (v) => decide(ctx, check, setting, env, v),
    (error: unknown) => failed(ctx, check, outcome, error),
  );
}

/** Whether `have` holds every scope in `need` (a loop, no callback per request). */
export function hasAllScopes(have: readonly string[], need: readonly string[]): boolean {
  for (let i = 0; i < need.length; i++) if (!have.includes(need[i])) return false;
  return true;
}
