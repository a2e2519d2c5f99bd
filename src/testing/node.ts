// `fetch-batteries/testing/node`: test helpers that need Node's HTTP server (`node:http`), kept out
// of `fetch-batteries/testing` so that one imports on every runtime.
export { type JwksMode, type JwksServer, startJwksServer } from '../adapters/jwks-server.ts';
