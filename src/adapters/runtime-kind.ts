/**
 * Whether this runtime's `Response` constructor converts a headers record slowly, so a response
 * is better built with its content type alone and the other headers set afterwards. True on
 * Deno: six headers in the constructor cost it 5–10 µs, the same six set one by one 1–3 µs.
 * Node's undici and Bun are the other way round. Read through globals only (the core imports it).
 */
export function headersInitIsSlow(): boolean {
  return typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === 'object';
}
