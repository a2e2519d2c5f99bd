import type { HealthCheck } from '../kernel/battery.ts';
import type { Logger } from './logger.ts';

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  status: 'ok' | 'fail';
  /** Milliseconds the check took (its timeout when it timed out). */
  latency_ms: number;
  /** `timeout` or `error`; the error itself goes to the log only (it may hold hosts or SQL). */
  error?: 'timeout' | 'error';
}

export interface HealthReport {
  status: 'ok' | 'fail';
  checks: Record<string, CheckResult>;
}

/**
 * Runs every check at once, each under its own timeout, so one hanging dependency answers
 * `fail` after its timeout instead of holding the probe. Concurrent callers share one run.
 * @example
 * const health = healthRunner([{ name: 'redis', timeoutMs: 500, check: () => redis.ping() }], logger);
 * const report = await health(); // { status: 'ok' | 'fail', checks: { redis: { status, latency_ms } } }
 */
export function healthRunner(checks: HealthCheck[], logger: Logger): () => Promise<HealthReport> {
  assertUniqueChecks(checks);
  let inFlight: Promise<HealthReport> | undefined;
  return () => {
    inFlight ??= runAll(checks, logger).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/**
 * Throws a TypeError naming the first check whose name is taken: the report is keyed by name, so
 * a second `database` check would silently replace the first one's verdict.
 * @example assertUniqueChecks([{ name: 'db', check }, { name: 'db', check }]); // TypeError: healthcheck "db" is registered twice...
 */
export function assertUniqueChecks(checks: readonly HealthCheck[]): void {
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.name)) {
      throw new TypeError(
        `healthcheck "${check.name}" is registered twice: each check needs its own name (the /healthcheck report is keyed by it)`,
      );
    }
    seen.add(check.name);
  }
}

async function runAll(checks: HealthCheck[], logger: Logger): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, logger)));
  const report: HealthReport = { status: 'ok', checks: {} };
  checks.forEach((check, i) => {
    report.checks[check.name] = results[i];
    if (results[i].status !== 'ok') report.status = 'fail';
  });
  return report;
}

async function runOne(check: HealthCheck, logger: Logger): Promise<CheckResult> {
  const timeoutMs = timeoutOf(check);
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    // `then` also catches a check that throws synchronously
    const outcome = await Promise.race([Promise.resolve().then(() => check.check()), timedOut]);
    const latency_ms = round(performance.now() - start);
    if (outcome === 'timeout') {
      logger.warn('healthcheck timed out', { check: check.name, timeoutMs });
      return { status: 'fail', latency_ms, error: 'timeout' };
    }
    return { status: 'ok', latency_ms };
  } catch (error) {
    logger.warn('healthcheck failed', {
      check: check.name,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return { status: 'fail', latency_ms: round(performance.now() - start), error: 'error' };
  } finally {
    clearTimeout(timer);
  }
}

/** setTimeout fires at once beyond 2^31-1 ms (and on NaN): keep the timeout meaningful. */
function timeoutOf(check: HealthCheck): number {
  const ms = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 2_147_483_647) : DEFAULT_CHECK_TIMEOUT_MS;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
