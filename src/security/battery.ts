import * as v from 'valibot';
import type { Battery, BatteryRuntime, CoreConfig, CoreOptions, RouteStep } from '../kernel/battery.ts';
import { type ConfigGroup, isProductionValue } from '../kernel/config/env.ts';
import type { RequestContext, TokenData, ValidatedUser } from '../kernel/context.ts';
import { type RouteDefinition, requiresJwt } from '../kernel/definitions.ts';
import { ConfigError, PermissionDeniedError } from '../kernel/http-errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { hasPathParam } from '../kernel/path-template.ts';
import { apiKeyStep } from './api-key.ts';
import { type ApiKeyConfig, apiKeyGroup, apiKeyProblem } from './api-key-config.ts';
import { bearerToken } from './bearer.ts';
import { InvalidCredentialsError, KeysUnavailableError, NOT_ENOUGH_PERMISSIONS } from './errors.ts';
import { type JwtConfig, jwtEntries, jwtGroup } from './jwt/config.ts';
import { buildIssuers, ENV_ISSUER_NAMES, type IssuerOptions } from './jwt/issuers.ts';
import { loadJose } from './jwt/jose.ts';
import { JwtVerifier, type Verified } from './jwt/verifier.ts';
import { runnable } from './rules/combinators.ts';
import { own, type Rule } from './rules/environment.ts';
import { pathParamProblem } from './rules/path-fields.ts';
import { missingScopesMessage } from './rules/vocabulary.ts';
import { hasAllScopes, type RuleSetting, runRule } from './run-rule.ts';

/** `createApp({ jwt })`: issuers in code, added to (or replacing, by `iss`) the ones from the environment. */
export interface JwtOptions {
  issuers?: IssuerOptions[];
}

/** The `createApp` options the security battery reads. */
export interface SecurityBatteryOptions {
  /** JWT issuers in code, added to (or replacing, by `iss`) the ones from the environment. */
  jwt?: JwtOptions;
}

/** `app.config.apiKey` (with an `@ApiKey()` route) and `app.config.jwt` (with a JWT route). */
export interface SecurityConfigGroups {
  apiKey?: ApiKeyConfig;
  jwt?: JwtConfig;
}

type SecurityOptions = CoreOptions & SecurityBatteryOptions;

function routeName(d: RouteDefinition): string {
  return `${d.controllerName}.${d.handlerName} (${d.method} ${d.path})`;
}

function codeIssuers(options: SecurityOptions): IssuerOptions[] {
  const jwt = options.jwt;
  if (jwt?.issuers !== undefined && !Array.isArray(jwt.issuers))
    throw new TypeError('createApp({ jwt: { issuers } }): issuers must be an array');
  return jwt?.issuers ?? [];
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The JWT group plus the issuer checks of `buildIssuers` (nothing is fetched), so an issuer
 * problem is listed in the same ConfigError as every other missing or invalid variable.
 */
function checkedJwtGroup(fromCode: IssuerOptions[]): ConfigGroup<JwtConfig> {
  return {
    name: jwtGroup.name,
    schema: v.pipe(
      // ENVIRONMENT is read too: production refuses key sets over plain http off loopback
      v.object({ ...jwtEntries, ENVIRONMENT: v.optional(v.string()) }),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const { ENVIRONMENT, ...jwt } = dataset.value;
        try {
          buildIssuers(jwt, fromCode, silent, isProductionValue(ENVIRONMENT));
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const message of error.problems) addIssue({ message });
        }
      }),
      v.transform(({ ENVIRONMENT: _, ...jwt }): JwtConfig => jwt),
    ),
  };
}

/**
 * The security battery: `@ApiKey`, bearer JWT with `@Scopes` and `@Secured(rule)` (in that order),
 * and the `@User()` / `@Token()` arguments.
 * @example createApp({ controllers: [PatientController] }, [securityBattery()]);
 */
export function securityBattery(): Battery<SecurityOptions, CoreConfig & SecurityConfigGroups> {
  return {
    name: 'security',
    optionNames: ['jwt'],
    configGroups(definitions, options) {
      const groups = [];
      if (definitions.some((d) => d.apiKey)) groups.push(apiKeyGroup);
      if (definitions.some(requiresJwt)) groups.push(checkedJwtGroup(codeIssuers(options)));
      return groups;
    },
    checkRoutes(definitions, options) {
      const names = new Set([...ENV_ISSUER_NAMES, ...codeIssuers(options).map((i) => i.name ?? i.issuer)]);
      for (const d of definitions) {
        const rule = d.secured?.rule;
        if (rule !== undefined && typeof rule !== 'function') throw new TypeError(`${routeName(d)}: @Secured rule is not a function`);
        // a rule that reads a path parameter the route lacks would refuse everyone
        const problem = rule === undefined ? undefined : pathParamProblem(rule as Rule, (param) => hasPathParam(d.path, param), d.path);
        if (problem !== undefined) throw new TypeError(`${routeName(d)}: @Secured ${problem}`);
        if (d.secured?.issuers !== undefined && d.secured.issuers.length === 0) {
          throw new TypeError(`${routeName(d)}: @Secured issuers leave no issuer that may call the route (stacked lists must share one)`);
        }
        for (const name of d.secured?.issuers ?? []) {
          if (!names.has(name)) throw new TypeError(`${routeName(d)}: @Secured issuer "${name}" is not one of ${[...names].join(', ')}`);
        }
        if (d.scopes?.some((s) => typeof s !== 'string' || s === ''))
          throw new TypeError(`${routeName(d)}: @Scopes takes non-empty strings`);
      }
    },
    start(context): BatteryRuntime {
      const { general } = context.config;
      const { apiKey, jwt } = context.config;
      // a key no client could send is a mistake (the config group refuses it too, with the other problems)
      const keyProblem = apiKey === undefined ? undefined : apiKeyProblem(apiKey.ACCEPTED_API_KEY);
      if (keyProblem !== undefined) throw new ConfigError([`ACCEPTED_API_KEY: ${keyProblem} (api key)`]);
      let verifier: JwtVerifier | undefined;
      if (jwt !== undefined) {
        const issuers = buildIssuers(jwt, codeIssuers(context.options), context.logger, general.production);
        const configured = new Set([...issuers.values()].map((i) => i.name));
        const missing = context.definitions.flatMap((d) =>
          (d.secured?.issuers ?? []).filter((n) => !configured.has(n)).map((n) => `${routeName(d)}: issuer "${n}" is not configured`),
        );
        if (missing.length > 0) throw new ConfigError(missing);
        verifier = new JwtVerifier(issuers, {
          requireExp: jwt.JWT_REQUIRE_EXP,
          cacheSize: jwt.JWT_CACHE_SIZE,
          cacheTtlSeconds: jwt.JWT_CACHE_TTL_SECONDS,
        });
        // jose is imported now, in the background, so the first token rarely waits for it (ready() does)
        loadJose().catch(() => {});
      }
      // outside production IGNORE_JWT_VALIDATION ignores only the rule's verdict: a bad token or missing
      // @Scopes is still refused, so the switch can never open a route to an unauthenticated caller
      const ignoreRules = !general.production && general.IGNORE_JWT_VALIDATION;
      const userKeys = jwt?.VALID_USER_ID_KEYS ?? ['sub'];

      const rejected = (ctx: RequestContext, error: InvalidCredentialsError | KeysUnavailableError) => {
        ctx.logger.warn('Access attempted with invalid JWT', { reason: error.reason, route: ctx.route, requestId: ctx.requestId });
        return error;
      };

      return {
        ready: verifier === undefined ? undefined : () => loadJose().then(() => undefined),
        routeStep(definition): RouteStep | undefined {
          // configGroups asked for the api key group whenever a route has @ApiKey: it is loaded
          if (definition.apiKey && apiKey === undefined) throw new ConfigError(['ACCEPTED_API_KEY: is required (api key)']);
          const keyStep = definition.apiKey && apiKey !== undefined ? apiKeyStep(apiKey.ACCEPTED_API_KEY) : undefined;
          const needsJwt = requiresJwt(definition);
          if (keyStep === undefined && !needsJwt) return undefined;
          if (!needsJwt) return keyStep;
          const jwtVerifier = verifier as JwtVerifier;
          const scopes = definition.scopes ?? [];
          const declared = definition.secured?.rule as Rule | undefined;
          const rule = declared === undefined ? undefined : runnable(declared);
          const allowed = definition.secured?.issuers;

          const setting: RuleSetting = { environment: general.ENVIRONMENT, production: general.production, ignoreRules };

          // synchronous unless the token is new or a rule awaits: a cached token costs no promise at all
          const authorize = (ctx: RequestContext, verified: Verified): void | Promise<void> => {
            if (allowed !== undefined && !allowed.includes(verified.issuer)) {
              throw rejected(ctx, new InvalidCredentialsError(`issuer ${verified.issuer} may not call this route`));
            }
            const data = verified.data;
            ctx.token = data;
            if (scopes.length > 0 && !hasAllScopes(data.scopes, scopes)) {
              const missing = scopes.filter((s) => !data.scopes.includes(s));
              ctx.logger.warn(missingScopesMessage(missing), { route: ctx.route, requestId: ctx.requestId });
              throw new PermissionDeniedError(NOT_ENOUGH_PERMISSIONS);
            }
            if (rule !== undefined) return runRule(ctx, data, rule, setting);
          };

          const bearer = (ctx: RequestContext): void | Promise<void> => {
            const token = bearerToken(ctx.request.headers.get('authorization'));
            const hit = jwtVerifier.cached(token);
            if (hit !== undefined) return authorize(ctx, hit);
            return jwtVerifier.verify(token).then(
              (verified) => authorize(ctx, verified),
              (error: unknown) => {
                throw error instanceof InvalidCredentialsError || error instanceof KeysUnavailableError ? rejected(ctx, error) : error;
              },
            );
          };

          if (keyStep === undefined) return bearer;
          return (ctx) => keyStep(ctx).then(() => bearer(ctx));
        },
        extractor(param) {
          if (param.kind === 'token') return (ctx) => ctx.token;
          if (param.kind !== 'user') return undefined;
          return (ctx): ValidatedUser => {
            const data = ctx.token as TokenData;
            for (const key of userKeys) {
              const id = own(data.claims, key);
              if (typeof id === 'string' && id !== '') return { user_id: id, token_data: data };
            }
            ctx.logger.warn('no user id claim in token', { keys: userKeys, route: ctx.route, requestId: ctx.requestId });
            throw new PermissionDeniedError(NOT_ENOUGH_PERMISSIONS);
          };
        },
      };
    },
  };
}
