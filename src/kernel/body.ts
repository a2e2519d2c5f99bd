import { bodyReadFailure } from './client-abort.ts';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.ts';
import { INVALID_UTF8, MALFORMED_JSON, NESTED_TOO_DEEPLY, UNPAIRED_SURROGATE, unsupportedEncoding } from './messages.ts';
import { utf8Length } from './respond.ts';

const MAX_JSON_DEPTH = 128;

/** `application/json` or any `+json` type, with any parameters, in any letter case. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Reads at most `limit` bytes of a body of unknown length, refusing while streaming. */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const stream = request.body;
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw bodyReadFailure(error, request);
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // the handler never runs; the 413 goes out while the rest is read and dropped
      void discardRest(reader);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** How much of a refused upload is read and dropped (at most, and for at most how long) before the connection is cut. */
const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_MS = 5000;

/**
 * Reads and drops the rest of a refused body, bounded, rather than cancelling it at once: a
 * cancelled body makes a server (node-server, workerd) reset the connection, and the client,
 * still sending, then gets a reset instead of the 413. Past the bound the body is cancelled after all.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = Date.now() + DISCARD_MS;
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DISCARD_BYTES || Date.now() > deadline) break;
    }
  } catch {
    // the client went away, or the runtime allows no reading once the response is out (workerd)
    return;
  }
  reader.cancel().catch(() => {});
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * A length-framed body read with `text()` (see readBodyText), checked against the limit and for
 * invalid UTF-8, which `text()` turns into U+FFFD instead of refusing.
 */
function checkedText(text: string, limit: number, declared: number): string {
  // UTF-8 needs at most 3 bytes per UTF-16 unit: count bytes only when it could matter
  if (text.length > limit || (text.length * 3 > limit && utf8Length(text) > limit)) {
    throw new PayloadTooLargeError(limit);
  }
  // A U+FFFD the client really sent re-encodes to the bytes it came as, so the length still
  // matches; replaced invalid bytes change it (all but a truncated four-byte sequence, which
  // keeps its three bytes).
  if (text.includes('\uFFFD') && utf8Length(text) !== declared) throw new BadRequestError(INVALID_UTF8);
  return text;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new BadRequestError(INVALID_UTF8);
  }
}

/**
 * The body as text, at most `limit` bytes: 415 for a `Content-Encoding` other than identity, 413 by `Content-Length` first, again after reading,
 * and while streaming when no length is declared. A declared length frames the body at the HTTP
 * layer, so it is read whole with `text()`, every runtime's fast path (measured on Node: ~20%
 * more req/s than `arrayBuffer()` plus a fatal decoder, about 0.5 µs per request through
 * node-server, and far more than a stream reader).
 * Always a promise (a rule awaiting `body()` sees a 413 as a rejection, not a throw).
 */
export function readBodyText(request: Request, limit: number): Promise<string> {
  const coding = request.headers.get('content-encoding')?.trim();
  if (coding && coding.toLowerCase() !== 'identity') {
    // compressed bytes read as text would be garbage: 415 naming the coding, and the one accepted
    const refused = new UnsupportedMediaTypeError(unsupportedEncoding(coding), { headers: { 'accept-encoding': 'identity' } });
    return Promise.reject(refused);
  }
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    const length = Number(declared);
    if (length > limit) return Promise.reject(new PayloadTooLargeError(limit));
    if (Number.isSafeInteger(length) && length >= 0) {
      return request.text().then(
        (text) => checkedText(text, limit, length),
        (error: unknown) => {
          throw bodyReadFailure(error, request);
        },
      );
    }
  }
  return readBodyBytes(request, limit).then(decodeUtf8);
}

/**
 * The request's JSON body: 415 for another content type, 413 over the limit, 400 for bad
 * UTF-8, bad JSON or nesting deeper than 128; `undefined` when the body is empty.
 */
export function readJsonBody(request: Request, limit: number): Promise<unknown> {
  return readBodyText(request, limit).then((text) => {
    if (text === '') return undefined;
    if (!isJsonContentType(request.headers.get('content-type'))) throw new UnsupportedMediaTypeError();
    return parseJson(text);
  });
}

/** JSON.parse without its input-quoting error messages, nesting bombs, or `__proto__` keys. */
export function parseJson(text: string): unknown {
  // each level takes at least one character: a short text cannot nest too deeply
  if (text.length > MAX_JSON_DEPTH && nestingDepth(text) > MAX_JSON_DEPTH) throw new BadRequestError(NESTED_TOO_DEEPLY);
  try {
    // The reviver is slow, so it runs only when a `__proto__` key or a `\u` escape could exist:
    // decoded UTF-8 never holds an unpaired surrogate, only a `\ud800` escape makes one.
    return text.includes('__proto__') || text.includes('\\u') ? JSON.parse(text, revive) : JSON.parse(text);
  } catch (error) {
    if (error === UNPAIRED) throw new BadRequestError(UNPAIRED_SURROGATE);
    // V8's message quotes the input: never send it back
    throw new BadRequestError(MALFORMED_JSON);
  }
}

// A marker, not an Error: an Error built while the module loads costs Deno ~3.5 ms of start-up
// (its first stack trace), and this one never leaves parseJson.
const UNPAIRED: unique symbol = Symbol('unpaired surrogate');

/**
 * Drops `__proto__` keys and refuses unpaired surrogates, in keys and string values: no UTF-8
 * store or client can hold one (PostgreSQL would silently keep U+FFFD instead).
 */
function revive(key: string, value: unknown): unknown {
  if (!(key as WellFormed).isWellFormed() || (typeof value === 'string' && !(value as WellFormed).isWellFormed())) throw UNPAIRED;
  return key === '__proto__' ? undefined : value;
}

/** `String.prototype.isWellFormed` (ES2024; Node 20, Bun, Deno, workerd), not in this project's ES2023 lib. */
type WellFormed = string & { isWellFormed(): boolean };

/** Deepest `[`/`{` nesting outside strings; stops counting past the limit. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max > MAX_JSON_DEPTH) return max;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}
