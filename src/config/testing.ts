/**
 * The security values `createApp({ testing: true })` uses for the variables the env leaves out.
 * Random for each process, so an app that ends up serving in testing mode never answers to a key
 * anyone could know; the `fetch-batteries/testing` helpers (`apiKeyHeaders()`, `mintToken()`)
 * read them from here, so a test needs no secret of its own.
 */
const run = crypto.randomUUID();
export const TESTING_CREDENTIALS: Readonly<{ ACCEPTED_API_KEY: string; HS_KEY: string; HS_ISSUER: string }> = Object.freeze({
  ACCEPTED_API_KEY: `testing-api-key-${run}`,
  HS_KEY: `testing-hs-key-${run}`,
  // .invalid: a name that can never resolve, so no real issuer shares it
  HS_ISSUER: 'https://testing.fetch-batteries.invalid/',
});
