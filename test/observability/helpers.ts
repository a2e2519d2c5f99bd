import { spawnSync } from 'node:child_process';
import { defaultBatteries } from '../../src/app/batteries.ts';
import { type AppOptions, type Battery, createApp, type HealthCheck, type Logger } from '../../src/index.ts';

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps every line (a real Logger, the same shape pino adapts to). */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), lines };
}

/** The default batteries plus a battery that registers readiness checks, as the database battery does. */
export function withChecks(checks: HealthCheck[]): Battery[] {
  const checker: Battery = {
    name: 'test-checks',
    start(context) {
      context.healthchecks.push(...checks);
      return {};
    },
  };
  return [...defaultBatteries(), checker];
}

/** An app with a fixed env, no docs, a memory logger unless one is given. */
export function obsApp(controllers: (Function | object)[], options: AppOptions = {}, batteries?: Battery[]) {
  const logger = memoryLogger();
  const app = createApp({ env: { ENVIRONMENT: 'TEST' }, docs: false, controllers, logger, ...options }, batteries);
  return { app, logger };
}

export function get(path: string, init: RequestInit = {}): Request {
  return new Request(`http://svc.test${path}`, init);
}

/** The `promtool check metrics` verdict, or `undefined` when promtool is not installed. */
export function promtool(text: string): { status: number; output: string } | undefined {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** In CI promtool must be there (.ci/run installs it); locally a missing binary skips with a reason. */
export const PROMTOOL_REQUIRED = process.env.CI === 'true';
