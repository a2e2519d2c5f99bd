import { readJsonBody } from './body.ts';
import type { Logger } from './logger.ts';

/** What a Workers `ExecutionContext` offers; elsewhere a stand-in that keeps promises from going unhandled. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/** The verified JWT: scopes and flattened claims (same shape as the Python package's TokenData). */
export interface TokenData {
  scopes: string[];
  claims: Record<string, unknown>;
}

/** `@User()`: the user id claim plus the token. */
export interface ValidatedUser {
  user_id: string;
  token_data: TokenData;
}

export type Phase = 'auth' | 'db' | 'handler';

/**
 * What the pipeline and the batteries share about one request, out of the user's sight
 * (`stateOf(ctx)`): phase timings for `Server-Timing`, whether the response is built already,
 * its text for the request log, and whether the client went away.
 */
export class RequestState {
  /** Milliseconds per phase for `Server-Timing`; -1 when the phase did not run. */
  authMs: number;
  dbMs: number;
  handlerMs: number;
  /** The response was built with every standard header already (skip decorating it). */
  headersDone: boolean;
  /** The text body of a response we built ourselves ('' for none), for the request log's size. */
  responseText: string | undefined;
  /** The client went away before its body arrived: metrics and the request log record 499. */
  clientClosed: boolean;
  /** `request.url` as the pipeline read it ('' until then): one read of the getter per request (Bun builds the string each time). */
  url: string;
  /** The tasks the user handed to `ctx.waitUntil` (made on the first). */
  tasks: Promise<unknown>[] | undefined;

  constructor() {
    this.authMs = -1;
    this.dbMs = -1;
    this.handlerMs = -1;
    this.headersDone = false;
    this.responseText = undefined;
    this.clientClosed = false;
    this.url = '';
    this.tasks = undefined;
  }
}

/** The internal state of a request; for the pipeline and the batteries, not part of the public API. */
export let stateOf: (ctx: RequestContext) => RequestState;

/**
 * Runs `fn` once every task the request handed to `ctx.waitUntil` has settled (those they add
 * too), kept alive like them: a battery's clean-up (closing the request's pool) that the tasks may
 * still need. Its failure is logged, never thrown.
 */
export let afterTasks: (ctx: RequestContext, fn: () => Promise<unknown>) => void;

/** `request.url` read once: what the pipeline kept, or the getter for a context made elsewhere. */
export function urlOf(ctx: RequestContext): string {
  const url = stateOf(ctx).url;
  return url === '' ? ctx.request.url : url;
}

/**
 * Everything one request carries through the pipeline; `@Ctx()` injects it.
 * A class (not an object literal) so every request has the same hidden shape; what only the
 * framework uses sits in `#` fields.
 */
export class RequestContext {
  readonly request: Request;
  /** The env record or Workers bindings this request was served with. */
  readonly env: Record<string, unknown>;
  readonly requestId: string;
  readonly logger: Logger;
  /** `performance.now()` when the request arrived. */
  readonly start: number;
  /** Path without the query string, as received (not decoded). */
  readonly path: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** The matched route template (`/patients/:patient_id`), `undefined` when nothing matched. */
  route: string | undefined;
  /** Set by the security step when a bearer token was verified. */
  token: TokenData | undefined;
  readonly #state: RequestState;
  /** What the runtime passed as fetch's second argument (Bun server, Deno info, node-server bindings). */
  readonly #runtimeArg: unknown;
  readonly #executionCtx: ExecutionContextLike | undefined;
  readonly #maxBodyBytes: number;
  #bodyPromise: Promise<unknown> | undefined;
  #queryObject: Record<string, string | string[]> | undefined;

  static {
    stateOf = (ctx) => ctx.#state;
    afterTasks = (ctx, fn) => {
      const settled = async () => {
        const tasks = ctx.#state.tasks ?? [];
        for (let done = 0; done < tasks.length; ) {
          const upTo = tasks.length;
          await Promise.allSettled(tasks.slice(done, upTo));
          done = upTo;
        }
        await fn();
      };
      ctx.#executionCtx?.waitUntil(
        settled().catch((error: unknown) => ctx.logger.error('waitUntil task failed', { error: String(error) })),
      );
    };
  }

  constructor(
    request: Request,
    env: Record<string, unknown>,
    executionCtx: ExecutionContextLike | undefined,
    requestId: string,
    logger: Logger,
    start: number,
    path: string,
    maxBodyBytes: number,
    state: RequestState = new RequestState(),
    runtimeArg: unknown = undefined,
  ) {
    this.request = request;
    this.env = env;
    this.requestId = requestId;
    this.logger = logger;
    this.start = start;
    this.path = path;
    this.params = EMPTY_PARAMS;
    this.route = undefined;
    this.token = undefined;
    this.#state = state;
    this.#runtimeArg = runtimeArg;
    this.#executionCtx = executionCtx;
    this.#maxBodyBytes = maxBodyBytes;
    this.#bodyPromise = undefined;
    this.#queryObject = undefined;
  }

  /** The parsed JSON body; read and parsed at most once, shared by `@Body` and rules. */
  body(): Promise<unknown> {
    this.#bodyPromise ??= readJsonBody(this.request, this.#maxBodyBytes);
    return this.#bodyPromise;
  }

  /** The query as a prototype-less object; repeated keys become arrays. Parsed on first use. */
  get query(): Record<string, string | string[]> {
    if (this.#queryObject === undefined) {
      const out: Record<string, string | string[]> = Object.create(null);
      const url = urlOf(this);
      const q = url.indexOf('?');
      if (q >= 0) {
        const hash = url.indexOf('#', q);
        for (const [key, value] of new URLSearchParams(hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash))) {
          const prev = out[key];
          // push onto the array built here: copying it per repeat is quadratic in a key's repeats
          if (prev === undefined) out[key] = value;
          else if (typeof prev === 'string') out[key] = [prev, value];
          else prev.push(value);
        }
      }
      this.#queryObject = out;
    }
    return this.#queryObject;
  }

  /** The client address, when the runtime tells it (Node, Bun, Deno) or Cloudflare does (`CF-Connecting-IP`). */
  get remoteIp(): string | undefined {
    return remoteIpOf(this.request, this.#runtimeArg);
  }

  /**
   * Keeps work alive after the response (Workers `ctx.waitUntil`); errors are logged, never thrown.
   * The request's `@Db()` handle stays open until these tasks have settled.
   */
  waitUntil(promise: Promise<unknown>): void {
    const guarded = promise.catch((error: unknown) => this.logger.error('waitUntil task failed', { error: String(error) }));
    (this.#state.tasks ??= []).push(guarded);
    this.#executionCtx?.waitUntil(guarded);
  }

  /** Adds `ms` to a `Server-Timing` phase (a custom battery's step counts as `auth`, its own queries as `db`). */
  addTiming(phase: Phase, ms: number): void {
    const state = this.#state;
    if (phase === 'auth') state.authMs = state.authMs < 0 ? ms : state.authMs + ms;
    else if (phase === 'db') state.dbMs = state.dbMs < 0 ? ms : state.dbMs + ms;
    else state.handlerMs = state.handlerMs < 0 ? ms : state.handlerMs + ms;
  }
}

const EMPTY_PARAMS: Record<string, string> = Object.freeze(Object.create(null));

function remoteIpOf(request: Request, arg: unknown): string | undefined {
  if (arg !== null && typeof arg === 'object') {
    const a = arg as {
      incoming?: { socket?: { remoteAddress?: string } };
      remoteAddr?: { hostname?: string };
      requestIP?: (r: Request) => { address?: string } | null;
    };
    if (a.incoming?.socket?.remoteAddress) return a.incoming.socket.remoteAddress;
    if (a.remoteAddr?.hostname) return a.remoteAddr.hostname;
    if (typeof a.requestIP === 'function') {
      try {
        return a.requestIP(request)?.address ?? undefined;
      } catch {
        return undefined;
      }
    }
  }
  return request.headers.get('cf-connecting-ip') ?? undefined;
}
