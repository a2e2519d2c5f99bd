// fetch-batteries: the runtime-neutral API. Node-only pieces live in `fetch-batteries/node`.

export { type ExecutionContextLike, type Phase, RequestContext, type TokenData, type ValidatedUser } from './kernel/context.ts';
// app
export { type App, createApp } from './app/create-app.ts';
export { augmentApp, type FetchHandler } from './app/augment-app.ts';
export { defaultBatteries } from './app/batteries.ts';
export type { AppConfig, AppExports, AppOptions } from './app/options.ts';
export type { AppBattery } from './app/runtime.ts';
export type {
  Battery,
  BatteryContext,
  BatteryRuntime,
  CoreConfig,
  CoreOptions,
  Extractor,
  HealthCheck,
  InternalRoute,
  RouteStep,
  ServedRoute,
} from './kernel/battery.ts';
export { toJson, toResponse } from './kernel/respond.ts';
// config
export type { ConfigGroup, Environment, EnvSource } from './kernel/config/env.ts';
export type { GeneralConfig } from './kernel/config/general.ts';
// decorators
export { Controller } from './decorators/controller.ts';
export { Deprecated, Doc, Returns, Status, Tags } from './decorators/options.ts';
export { Body, Ctx, Db, Header, type ParamSource, type ParamSpec, Param, Query, Token, User } from './decorators/params.ts';
export { Delete, Get, Patch, Post, Put } from './decorators/routes.ts';
export { ApiKey, Scopes, Secured } from './decorators/security.ts';
export type { ClassOrMethodDecorator, ControllerDecorator, RouteDecorator } from './decorators/standard.ts';
// errors
export {
  AuthMissingError,
  BadRequestError,
  ConfigError,
  DuplicateResourceError,
  ERROR_CODES,
  EntityNotFoundError,
  type ErrorCode,
  ForbiddenError,
  HttpError,
  type HttpErrorOptions,
  MethodNotAllowedError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  PermissionDeniedError,
  ServiceUnavailableError,
  ShuttingDownError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  UriTooLongError,
  type ValidationIssue,
} from './kernel/http-errors.ts';
export type { ErrorClass, ErrorFormat, ErrorHandler } from './errors/mapper.ts';
export { CLIENT_CLOSED_STATUS, ClientClosedError } from './kernel/client-abort.ts';
// metadata (for tools such as the OpenAPI generator)
export type { HttpMethod, ParamMeta, RouteDefinition } from './kernel/definitions.ts';
// openapi
export { DEFAULT_DOCS_ASSETS, type DocsOptions } from './openapi/docs-page.ts';
export { buildOpenApiDocument, type DocumentInput } from './openapi/document.ts';
export { type OpenApiBatteryOptions, type OpenApiExports, openapiBattery } from './openapi/battery.ts';
// observability
export { PROMETHEUS_CONTENT_TYPE } from './observability/exposition.ts';
export {
  type MetricsOptions,
  type MonitoringOptions,
  type ObservabilityBatteryOptions,
  type ObservabilityExports,
  observabilityBattery,
  versionInfo,
} from './observability/battery.ts';
export { type CheckResult, type HealthReport, healthRunner } from './observability/healthcheck.ts';
export { HttpMetrics, OTHER_METHOD, UNMATCHED_ROUTE } from './observability/http-metrics.ts';
export { LineBuffer, type LineBufferOptions, type LineSink } from './observability/log-buffer.ts';
export {
  consoleJsonLogger,
  type Logger,
  type LogLevel,
  type ObjectFirstLogger,
  pinoLogger,
  silentLogger,
} from './observability/logger.ts';
export {
  Counter,
  type CounterChild,
  DEFAULT_BUCKETS,
  Gauge,
  type GaugeChild,
  Histogram,
  type HistogramChild,
  type HistogramConfig,
  type LabelValues,
  type MetricConfig,
  type MetricType,
} from './observability/metrics.ts';
export { MetricsRegistry, type ScrapeOptions } from './observability/registry.ts';
export { type HttpRequestFields, REDACTED, redactUrl, requestLogger } from './observability/request-log.ts';
export { requestIdFrom } from './observability/request-id.ts';
// database
export { chooseDriver, type DatabaseConfig, type DriverName, databaseGroup } from './db/config.ts';
export { connectDatabase } from './db/connect.ts';
export { type DatabaseInit, type DbTimer, openDatabase, PooledDatabase } from './db/database.ts';
export {
  CONNECTION_FAILED,
  DatabaseConflictError,
  DatabaseConnectionError,
  DatabaseRetryError,
  DatabaseTimeoutError,
  DatabaseValueError,
  isConnectionError,
  QueryError,
  RETRY_TRANSACTION,
  toDatabaseError,
} from './db/errors.ts';
export {
  type DatabaseBatteryOptions,
  type DatabaseConfigGroup,
  type DatabaseExports,
  type DatabaseOptions,
  databaseBattery,
  isDatabase,
} from './db/battery.ts';
export {
  dropData,
  IDENTIFIER_COLUMNS,
  type Identifier,
  identifierTrigger,
  MODIFIED_TRIGGER_FUNCTION,
  packIdentifier,
} from './db/identifier.ts';
export { DEFAULT_MIGRATIONS_TABLE, type MigrateOptions, type Migration, MigrationError, migrate, migrationChecksum } from './db/migrate.ts';
export { type CompiledQuery, Sql, sql } from './db/sql.ts';
export type { Connection, Database, Driver, PoolStats, QueryResult, RawResult } from './db/types.ts';
// security
export { apiKeyStep } from './security/api-key.ts';
export { bearerToken } from './security/bearer.ts';
export {
  INVALID_API_KEY,
  INVALID_CREDENTIALS,
  InvalidCredentialsError,
  KEYS_UNAVAILABLE,
  KeysUnavailableError,
  NO_API_KEY,
  NOT_ENOUGH_PERMISSIONS,
} from './security/errors.ts';
export { requiresJwt } from './kernel/definitions.ts';
export {
  type JwtOptions,
  type SecurityBatteryOptions,
  type SecurityConfigGroups,
  securityBattery,
} from './security/battery.ts';
export type { ApiKeyConfig } from './security/api-key-config.ts';
export { type JwtConfig, jwtGroup } from './security/jwt/config.ts';
export { type IssuerOptions, issuerUrl } from './security/jwt/issuers.ts';
export { MAX_TOKEN_BYTES } from './security/jwt/verifier.ts';
export * from './security/rules/index.ts';
