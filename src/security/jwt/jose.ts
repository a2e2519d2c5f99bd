import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';

/** The parts of jose the verifier uses, each from its own subpath (the `jose` barrel loads every module). */
export type Jose = typeof import('./jose-parts.ts');

let loaded: Jose | undefined;
let loading: Promise<Jose> | undefined;

/**
 * jose, imported on first use: an app without a JWT route never loads it (it is most of our
 * import time), and one with JWT routes loads it at warm-up or on the first token verified.
 * A failed import is forgotten, so the next call tries again.
 * @example const { jwtVerify } = joseLoaded() ?? (await loadJose());
 */
export function loadJose(): Promise<Jose> {
  if (loading === undefined) {
    loading = import('./jose-parts.ts').then((m) => {
      loaded = m;
      return m;
    });
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** jose when it is already loaded, without a promise (the cached-token path stays synchronous). */
export function joseLoaded(): Jose | undefined {
  return loaded;
}

// jose's own test for a key set (a plain object whose `keys` are plain objects), without loading jose
function plainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Object.prototype.toString.call(input) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(input);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * jose's `createLocalJWKSet`, built on first use: the set is checked and copied now (a malformed
 * set is a configuration error at start-up, as with jose), the keys imported when a token needs them.
 * @example const key = localKeySet({ keys: [publicJwk] });
 */
export function localKeySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  let snapshot: unknown;
  try {
    snapshot = structuredClone(jwks);
  } catch {
    throw new TypeError('JSON Web Key Set malformed');
  }
  if (!plainObject(snapshot) || !Array.isArray(snapshot.keys) || !Array.from(snapshot.keys).every(plainObject)) {
    throw new TypeError('JSON Web Key Set malformed');
  }
  const keys = snapshot as unknown as JSONWebKeySet;
  let local: JWTVerifyGetKey | undefined;
  return async (header, token) => {
    local ??= (joseLoaded() ?? (await loadJose())).createLocalJWKSet(keys);
    return local(header, token);
  };
}
