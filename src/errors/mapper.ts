import { ClientClosedError, signalAborted } from '../kernel/client-abort.ts';
import { type RequestContext, stateOf } from '../kernel/context.ts';
import { type ErrorFormat, HttpError } from '../kernel/http-errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { WrittenBody } from '../kernel/respond.ts';

export type { ErrorFormat };

/** Turns a thrown error into a Response (or an HttpError to render the standard way). */
export type ErrorHandler<E = Error> = (error: E, ctx: RequestContext | undefined) => Response | HttpError | Promise<Response | HttpError>;

// biome-ignore lint/suspicious/noExplicitAny: any error class
export type ErrorClass<E = Error> = abstract new (...args: any[]) => E;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Renders `{"message": ...}` (or RFC 9457 problem+json) with the error's extra fields and headers,
 * leaving the text in `written` (the request log's `responseSize`) as `toResponse` does.
 */
export function renderHttpError(error: HttpError, format: ErrorFormat, written?: WrittenBody): Response {
  const headers: Record<string, string> = {
    'content-type': format === 'problem' ? 'application/problem+json' : 'application/json',
    ...error.headers,
  };
  const body =
    format === 'problem'
      ? {
          type: 'about:blank',
          // an unlisted code still says which side erred
          title: STATUS_TEXT[error.status] ?? (error.status >= 500 ? 'Server Error' : 'Client Error'),
          status: error.status,
          detail: error.message,
          code: error.code,
          ...error.details,
        }
      : { message: error.message, ...error.details };
  const text = JSON.stringify(body);
  if (written !== undefined) written.responseText = text;
  return new Response(text, { status: error.status, headers });
}

export interface ErrorMapperOptions {
  production: boolean;
  format: ErrorFormat;
  logger: Logger;
  handlers: Map<ErrorClass, ErrorHandler>;
}

/** The mapper's answer: a Response, or a promise of one when an async `onError` handler ran. */
export type MappedError = Response | Promise<Response>;

/**
 * Built once at start-up. Custom handlers match along the prototype chain (the most specific
 * registered class wins); the lookup is memoised per constructor. Synchronous unless a handler
 * returns a promise, so a 404 or a 401 costs no promise.
 */
export function createErrorMapper(options: ErrorMapperOptions): (error: unknown, ctx: RequestContext | undefined) => MappedError {
  const { production, format, logger, handlers } = options;
  const resolved = new Map<Function, ErrorHandler | null>();
  const render = (error: HttpError, ctx: RequestContext | undefined): Response =>
    renderHttpError(error, format, ctx === undefined ? undefined : stateOf(ctx));

  const findHandler = (error: object): ErrorHandler | null => {
    const ctor = error.constructor;
    const cached = resolved.get(ctor);
    if (cached !== undefined) return cached;
    let found: ErrorHandler | null = null;
    for (let proto = Object.getPrototypeOf(error); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const handler = handlers.get(proto.constructor);
      if (handler) {
        found = handler;
        break;
      }
    }
    if (resolved.size < 1000) resolved.set(ctor, found);
    return found;
  };

  const internal = (error: unknown, ctx: RequestContext | undefined): Response => {
    // the client went away while a handler read the body itself: not a server error
    if (ctx !== undefined && signalAborted(ctx.request)) return clientClosed(new ClientClosedError(error), ctx);
    const err = error instanceof Error ? error : new Error(String(error));
    // the Python package's wording, `TypeError boom`
    logger.error(err.message === '' ? err.name : `${err.name} ${err.message}`, {
      requestId: ctx?.requestId,
      error: err.name,
      errorMessage: err.message,
      stack: err.stack,
    });
    const message = production ? 'Internal server error' : `${err.name}: ${err.message}`;
    return render(new HttpError(500, message, 'INTERNAL'), ctx);
  };

  const rendered = (out: Response | HttpError, ctx: RequestContext | undefined): Response => {
    if (!(out instanceof Response)) return render(out, ctx);
    // an onError handler's own Response: the request log takes its size from Content-Length
    if (ctx !== undefined) stateOf(ctx).responseText = undefined;
    return out;
  };

  // 400 to the client, if it still listens; metrics and the request log record 499
  const clientClosed = (error: ClientClosedError, ctx: RequestContext | undefined): Response => {
    if (ctx === undefined) return render(error, ctx);
    const state = stateOf(ctx);
    state.clientClosed = true;
    const response = render(error, ctx);
    // the client never read this body: the 499 line has no size
    state.responseText = undefined;
    return response;
  };

  return (error, ctx) => {
    try {
      // recorded as 499 even when an onError handler renders it
      if (error instanceof ClientClosedError && ctx !== undefined) stateOf(ctx).clientClosed = true;
      if (handlers.size > 0 && typeof error === 'object' && error !== null) {
        const handler = findHandler(error);
        if (handler) {
          const out = handler(error as Error, ctx);
          if (typeof (out as PromiseLike<unknown>).then === 'function') {
            return Promise.resolve(out)
              .then((out) => rendered(out, ctx))
              .then(undefined, (handlerError: unknown) => internal(handlerError, ctx));
          }
          return rendered(out as Response | HttpError, ctx);
        }
      }
      if (error instanceof HttpError) {
        if (error instanceof ClientClosedError) return clientClosed(error, ctx);
        // a 5xx is our failure: its stack goes to the log like an unhandled error's (a 4xx is the caller's, no stack);
        // an expected 5xx (one any caller can provoke) is a warning, so it cannot drive error alerts
        if (error.status >= 500 && error.expected) {
          logger.warn(error.message, { requestId: ctx?.requestId, error: error.name, code: error.code });
        } else if (error.status >= 500) {
          logger.error(error.message, {
            requestId: ctx?.requestId,
            error: error.name,
            code: error.code,
            cause: describeCause(error.cause),
            stack: error.stack,
          });
        } else if (ctx !== undefined && stateOf(ctx).handlerMs >= 0) {
          // a 4xx the handler threw: its reason, without a stack, at the Python package's level
          // (warning for 400 and 409, info for the rest); the framework's own 4xx (no route, bad
          // body, failed validation, refused credentials) are left to the request log and the security lines
          const fields = { requestId: ctx.requestId, error: error.name, code: error.code, status: error.status };
          if (error.status === 400 || error.status === 409) logger.warn(error.message, fields);
          else logger.info(error.message, fields);
        }
        return render(error, ctx);
      }
      return internal(error, ctx);
    } catch (handlerError) {
      // an onError handler that throws is itself an unexpected error
      return internal(handlerError, ctx);
    }
  };
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  // workerd's WebSocket fails with an ErrorEvent, not an Error: its message says why
  const message = (cause as { message?: unknown } | null)?.message;
  const type = (cause as { type?: unknown } | null)?.type;
  if (typeof message === 'string') return typeof type === 'string' ? `${type}: ${message}` : message;
  return String(cause);
}
