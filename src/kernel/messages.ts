// What the pipeline answers to a malformed request, word for word: thrown by the body reader and
// the router, and listed by the OpenAPI document under 400, 413 and 415 (one source, no copies).

export const MALFORMED_JSON = 'Malformed JSON in request body';
export const INVALID_UTF8 = 'Request body is not valid UTF-8';
export const NESTED_TOO_DEEPLY = 'Request body is nested too deeply';
export const UNPAIRED_SURROGATE = 'Request body contains an unpaired UTF-16 surrogate escape';
/** Every 400 a JSON body can get. */
export const BODY_400_MESSAGES: readonly string[] = [MALFORMED_JSON, INVALID_UTF8, NESTED_TOO_DEEPLY, UNPAIRED_SURROGATE];
/** The 400 for a path parameter whose percent-encoding does not decode. */
export const MALFORMED_PATH = 'Malformed percent-encoding in URL path';
/** The 415 for a body that is not `application/json`. */
export const JSON_REQUIRED = 'Content-Type must be application/json';

/** The 415 for a body in a content coding other than identity (`gzip`, ...), which is not decoded. */
export function unsupportedEncoding(coding: string): string {
  return `Content-Encoding ${coding} is not supported`;
}

/** The 413 for a body over `limit` bytes (`MAX_BODY_BYTES`). */
export function bodyTooLarge(limit: number | string): string {
  return `Request body exceeds ${limit} bytes`;
}

/** The 400 for a Host header that is not `host[:port]` (a runtime would otherwise take the path from it). */
export const INVALID_HOST = 'Invalid Host header';
