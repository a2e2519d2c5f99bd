// Loaded through `loadJose()` (./jose.ts) only: subpaths, so only the modules used are parsed.

export { decodeProtectedHeader } from 'jose/decode/protected_header';
export { createLocalJWKSet } from 'jose/jwks/local';
export { createRemoteJWKSet, customFetch } from 'jose/jwks/remote';
export { decodeJwt } from 'jose/jwt/decode';
export { jwtVerify } from 'jose/jwt/verify';
