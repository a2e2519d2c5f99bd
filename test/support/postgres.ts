/**
 * The one place tests learn about a PostgreSQL server: TEST_DATABASE_URL, never a guessed default,
 * so a machine without PostgreSQL skips the server-backed suites (saying why) instead of failing.
 * .ci/run starts PostgreSQL 15 and sets it.
 */
export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined;

export const postgresAvailable = TEST_DATABASE_URL !== undefined;

// a suite asked about several times (one runtime target in two decorator modes) says it once
const told = new Set<string>();

/**
 * True when `suite` must be skipped here; prints the one-line reason, once, when it is (call it at
 * module level, next to `describe.skipIf`).
 * @example describe.skipIf(skipWithoutPostgres('the pg database suite'))('Database on pg', () => { ... });
 */
export function skipWithoutPostgres(suite: string): boolean {
  if (postgresAvailable) return false;
  if (!told.has(suite)) console.log(`TEST_DATABASE_URL is not set: ${suite} skipped (start PostgreSQL and set it, as .ci/run does)`);
  told.add(suite);
  return true;
}

/** Host and port of TEST_DATABASE_URL, for tests that open raw TCP connections to the server. */
export function postgresAddress(): { host: string; port: number } {
  if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const url = new URL(TEST_DATABASE_URL);
  // 5432 is what libpq and pg use when the URL names no port
  return { host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) };
}
