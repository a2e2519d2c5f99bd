import type { DatabaseBatteryOptions, DatabaseConfigGroup, DatabaseExports } from '../db/battery.ts';
import type { ErrorClass, ErrorHandler } from '../errors/mapper.ts';
import type { CoreConfig, CoreOptions } from '../kernel/battery.ts';
import type { ObservabilityBatteryOptions, ObservabilityExports } from '../observability/battery.ts';
import type { OpenApiBatteryOptions, OpenApiExports } from '../openapi/battery.ts';
import type { SecurityBatteryOptions, SecurityConfigGroups } from '../security/battery.ts';

/** `createApp` options: the core ones plus each default battery's own (`database`, `jwt`, `monitoring`, `metrics`, `docs`). */
export interface AppOptions
  extends CoreOptions,
    DatabaseBatteryOptions,
    SecurityBatteryOptions,
    ObservabilityBatteryOptions,
    OpenApiBatteryOptions {
  /** Extra error mappings, as `app.onError` adds them. */
  errorHandlers?: [ErrorClass, ErrorHandler][];
}

/**
 * The validated configuration: `general` and `env` always, each other group when a battery asked
 * for it (`apiKey` with an `@ApiKey()` route, `jwt` with a JWT route, `database` with `database: true`).
 */
export interface AppConfig extends CoreConfig, SecurityConfigGroups, DatabaseConfigGroup {}

/** What the default batteries expose on the App. */
export interface AppExports extends DatabaseExports, ObservabilityExports, OpenApiExports {}

// a Record, so adding an option to AppOptions without listing it here fails to compile
const KNOWN: Record<keyof AppOptions, true> = {
  controllers: true,
  title: true,
  version: true,
  description: true,
  env: true,
  testing: true,
  logger: true,
  errorFormat: true,
  maxPathLength: true,
  errorHandlers: true,
  database: true,
  jwt: true,
  monitoring: true,
  metrics: true,
  docs: true,
};

/** The options a default battery reads: each battery declares them as its `optionNames`, and only an app that has the battery accepts them. */
const BATTERY_OWNED: readonly (keyof AppOptions)[] = ['database', 'jwt', 'monitoring', 'metrics', 'docs'];

/** The options `createApp` itself reads, whatever the batteries (each battery adds its own through `Battery.optionNames`). */
export const APP_OPTION_NAMES: readonly string[] = Object.keys(KNOWN).filter((name) => !BATTERY_OWNED.includes(name as keyof AppOptions));
