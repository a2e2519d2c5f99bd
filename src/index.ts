// fetch-batteries: the runtime-neutral API. Node-only pieces live in `fetch-batteries/node`.

export { type ExecutionContextLike, RequestContext, type TokenData, type ValidatedUser } from './app/context.ts';
// app
export { type App, createApp } from './app/create-app.ts';
export { augmentApp, type FetchHandler } from './app/augment-app.ts';
export type { AppConfig, Feature, FeatureContext, FeatureRuntime, HealthCheck } from './app/feature.ts';
export { toJson, toResponse } from './app/respond.ts';
export type { AppOptions, InternalRoute, RouteStep } from './app/types.ts';
// config
export type { ConfigGroup, Environment, EnvSource } from './config/env.ts';
export type { GeneralConfig } from './config/general.ts';
// decorators
export { Controller } from './decorators/controller.ts';
export { Deprecated, Doc, Returns, Status, Tags } from './decorators/options.ts';
export { Body, Ctx, Db, Header, Param, Query, Token, User } from './decorators/params.ts';
export { Delete, Get, Patch, Post, Put } from './decorators/routes.ts';
export { ApiKey, Scopes, Secured } from './decorators/security.ts';
// errors
export {
  AuthMissingError,
  BadRequestError,
  ConfigError,
  DuplicateResourceError,
  EntityNotFoundError,
  ForbiddenError,
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  PermissionDeniedError,
  ServiceUnavailableError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  UriTooLongError,
  type ValidationIssue,
} from './errors/http-errors.ts';
export type { ErrorClass, ErrorFormat, ErrorHandler } from './errors/mapper.ts';
// metadata (for tools such as the OpenAPI generator)
export type { HttpMethod, ParamMeta, RouteDefinition } from './metadata/types.ts';
// observability
export { consoleJsonLogger, type Logger, type LogLevel, silentLogger } from './observability/logger.ts';
