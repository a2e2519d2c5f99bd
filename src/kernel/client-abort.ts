import { BadRequestError } from './http-errors.ts';

/**
 * What metrics and the request log record for a request whose client went away before its body
 * arrived: nginx's "499 Client Closed Request". The client itself, if still listening, gets 400.
 */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * 400, recorded as 499: the request body stream failed because the client closed the connection
 * (or half-closed it, sending less than its Content-Length). Not a server error.
 * @example app.onError(ClientClosedError, () => new Response(null, { status: 400 }));
 */
export class ClientClosedError extends BadRequestError {
  override readonly code = 'CLIENT_CLOSED_REQUEST';
  constructor(cause?: unknown) {
    super('The request body was cut short: the client closed the connection', { cause });
  }
}

// What each runtime's body stream fails with when the connection goes: Bun a DOMException
// AbortError, Deno BadResource or Http (or an io error class), Node `aborted` with ECONNRESET,
// workerd a plain Error whose only mark is its fixed message.
const GONE_NAMES = new Set(['AbortError', 'BadResource', 'Http', 'ConnectionReset', 'ConnectionAborted', 'BrokenPipe', 'UnexpectedEof']);
const GONE_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const GONE_MESSAGES = new Set(['Network connection lost.']);

/** Whether an error from reading `request`'s body means the client went away (the error's class, then the request's own signal). */
export function isClientGone(error: unknown, request: Request): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof name === 'string' && GONE_NAMES.has(name)) return true;
    if (typeof code === 'string' && GONE_CODES.has(code)) return true;
    if (typeof message === 'string' && GONE_MESSAGES.has(message)) return true;
  }
  return signalAborted(request);
}

/** `request.signal.aborted`, false where the request has no signal (a hand-made stand-in). */
export function signalAborted(request: Request): boolean {
  try {
    return request.signal?.aborted === true;
  } catch {
    return false;
  }
}

/** The error a failed body read rejects with: ClientClosedError when the client went away, else the error itself. */
export function bodyReadFailure(error: unknown, request: Request): unknown {
  return error instanceof ClientClosedError || !isClientGone(error, request) ? error : new ClientClosedError(error);
}
