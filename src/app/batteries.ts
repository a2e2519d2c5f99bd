import { databaseBattery } from '../db/battery.ts';
import { observabilityBattery } from '../observability/battery.ts';
import { openapiBattery } from '../openapi/battery.ts';
import { securityBattery } from '../security/battery.ts';
import type { AppBattery } from './runtime.ts';

/** The batteries every app gets, in pipeline order (observability first: it times the others). */
export function defaultBatteries(): AppBattery[] {
  return [observabilityBattery(), securityBattery(), databaseBattery(), openapiBattery()];
}
