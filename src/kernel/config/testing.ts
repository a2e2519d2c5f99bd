/** The values `createApp({ testing: true })` gives the security variables the env leaves out. */
export interface TestingCredentials {
  ACCEPTED_API_KEY: string;
  HS_KEY: string;
  HS_ISSUER: string;
}

let made: Readonly<TestingCredentials> | undefined;

/**
 * Random for each process, so an app that ends up serving in testing mode never answers to a key
 * anyone could know; the `fetch-batteries/testing` helpers (`apiKeyHeaders()`, `mintToken()`) read
 * the same values, so a test needs no secret of its own. Made on first use: Workers refuse random
 * values while a module loads.
 * @example const { ACCEPTED_API_KEY } = testingCredentials();
 */
export function testingCredentials(): Readonly<TestingCredentials> {
  if (made === undefined) {
    const run = crypto.randomUUID();
    made = Object.freeze({
      ACCEPTED_API_KEY: `testing-api-key-${run}`,
      HS_KEY: `testing-hs-key-${run}`,
      // .invalid: a name that can never resolve, so no real issuer shares it
      HS_ISSUER: 'https://testing.fetch-batteries.invalid/',
    });
  }
  return made;
}
