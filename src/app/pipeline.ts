import { RequestContext, RequestState } from '../kernel/context.ts';
import { decorate } from '../kernel/headers.ts';
import { BadRequestError, MethodNotAllowedError, NotFoundError, ShuttingDownError, UriTooLongError } from '../kernel/http-errors.ts';
import { INVALID_HOST } from '../kernel/messages.ts';
import { pathOf, resolveDotSegments, validHost } from '../kernel/request-url.ts';
import { utf8Length } from '../kernel/respond.ts';
import { requestIdFrom } from '../observability/request-id.ts';
import type { CompiledRoute } from './compile-route.ts';
import type { Runtime, RuntimeCache } from './runtime.ts';
import { executionContext, workersEnv } from './runtime-args.ts';

/** A foreign handler `augmentApp` delegates to when no battery route matches. */
export type Fallback = (request: Request, env: unknown, ctx: unknown) => Response | Promise<Response>;

/** What the request path needs of one app. */
export interface Pipeline {
  runtimes: RuntimeCache;
  /** Longest accepted path (414 beyond). */
  maxPath: number;
  /** Set by `app.close()`: every later request is a 503. */
  closed: boolean;
  fallback: Fallback | undefined;
  /**
   * The runtime builds `request.url` from the request line and the Host header as they came (the
   * platform's `hostUnchecked`: Deno): the Host is checked, and dot segments resolved, here.
   */
  rawUrl: boolean;
}

/**
 * One request on its way: the state the batteries share (timings, `headersDone`, ...) plus what
 * `finish` and `fail` need. One object per request, handed to the RequestContext as its state.
 */
class Exchange extends RequestState {
  readonly start: number;
  /** HEAD answers like GET without a body, even when the config could not load. */
  readonly head: boolean;
  rt: Runtime | undefined;
  ctx: RequestContext | undefined;
  route: CompiledRoute | undefined;
  /** A monitoring path answered without its route (OPTIONS, 405): left out of metrics and the log too. */
  infra: boolean;

  constructor(start: number, head: boolean) {
    super();
    this.start = start;
    this.head = head;
    this.rt = undefined;
    this.ctx = undefined;
    this.route = undefined;
    this.infra = false;
  }
}

/** The default `maxPathLength`. */
export const DEFAULT_MAX_PATH = 2048;

/**
 * The request path: resolve the runtime, match the route, run it, then `finish` (or `fail`).
 * Synchronous from end to end when the route is (no body, no async check, a handler that returns
 * a value): @hono/node-server then writes the response at once, with no promise and no
 * per-request close listener.
 */
export function handle(
  app: Pipeline,
  request: Request,
  envArg?: unknown,
  executionCtx?: unknown,
  refuse?: boolean,
): Response | Promise<Response> {
  const method = request.method;
  const x = new Exchange(performance.now(), method === 'HEAD');
  try {
    const bindings = workersEnv(envArg);
    const rt = (x.rt = app.runtimes.for(bindings));
    const url = (x.url = request.url);
    const path = app.rawUrl ? resolveDotSegments(pathOf(url)) : pathOf(url);
    const ctx = new RequestContext(
      request,
      bindings ?? rt.sourceEnv,
      executionContext(executionCtx),
      requestIdFrom(request),
      rt.logger,
      x.start,
      path,
      rt.maxBodyBytes,
      x,
      envArg,
    );
    x.ctx = ctx;
    // a relative URL (Bun) means a Host that was missing or invalid; Deno keeps any Host in the URL
    if ((app.rawUrl || url.charCodeAt(0) === 47) && !validHost(request.headers.get('host'))) throw new BadRequestError(INVALID_HOST);
    // `refuse`: a draining server (Deno's) has this request answered 503 without running it
    if (app.closed || refuse === true) throw new ShuttingDownError();
    if (path.length > app.maxPath) throw new UriTooLongError(app.maxPath);
    const match = rt.table.match(x.head ? 'GET' : method, path);
    if (match !== undefined) {
      const route = (x.route = match.value);
      ctx.params = match.params;
      ctx.route = match.template;
      const out = route.run(ctx);
      if (out instanceof Promise) {
        return out.then(
          (response) => finish(x, response),
          (error: unknown) => fail(x, error),
        );
      }
      return finish(x, out);
    }
    if (app.fallback !== undefined) return delegate(x, app.fallback, request, envArg, executionCtx);
    const routes = rt.table.routesOn(path);
    if (routes === undefined) throw new NotFoundError();
    // the path matched a route: its template labels the answer, and a monitoring path stays out of metrics and the log
    ctx.route = routes.template;
    x.infra = routes.value.infra;
    const allow = allowHeader(routes.methods);
    if (method !== 'OPTIONS') throw new MethodNotAllowedError(allow);
    return finish(x, new Response(null, { status: 204, headers: { allow } }));
  } catch (error) {
    return fail(x, error);
  }
}

/** Decorates (when needed) and observes the final response; never throws. */
function finish(x: Exchange, response: Response): Response {
  try {
    // a wrapped handler or a custom battery could hand back anything
    if (!(response instanceof Response)) response = fallback500();
    if (!x.headersDone) response = decorate(response, x.ctx, x.route?.extraHeaders, x.start);
    // HEAD answers like GET without a body, errors included, and with GET's length where we wrote
    // the body: Bun and Deno would send `content-length: 0` for the empty one (RFC 9110 §8.6 says
    // only GET's own length may be sent)
    if (x.head && response.body !== null) {
      const length = response.headers.get('content-length') ?? (x.responseText === undefined ? null : String(utf8Length(x.responseText)));
      response = new Response(null, response);
      if (length !== null) response.headers.set('content-length', length);
    }
    const observe = x.rt?.onResponse;
    // read now, once the body is written: a large JSON body's serialisation is part of the latency
    if (observe !== undefined && x.ctx !== undefined) observe(x.ctx, response, performance.now() - x.start, x.route?.infra ?? x.infra);
  } catch {
    // a broken sink must not break the response that is already built
  }
  return response;
}

/** Any throw or rejection above becomes the mapped error response; never throws nor rejects. */
function fail(x: Exchange, error: unknown): Response | Promise<Response> {
  let mapped: Response | Promise<Response>;
  try {
    mapped = x.rt ? x.rt.mapError(error, x.ctx) : configFailure(error);
  } catch {
    mapped = fallback500();
  }
  if (mapped instanceof Promise) {
    return mapped.then(
      (response) => finish(x, response),
      () => finish(x, fallback500()),
    );
  }
  return finish(x, mapped);
}

/** augmentApp: a request no battery route serves goes to the wrapped handler. */
async function delegate(x: Exchange, target: Fallback, request: Request, envArg: unknown, executionCtx: unknown): Promise<Response> {
  let response: Response;
  try {
    // foreign routers parse request.url with new URL(), which throws on Bun's relative one (no Host)
    const forwarded = x.url.charCodeAt(0) === 47 ? new Request(`http://localhost${x.url}`, request) : request;
    // a Host the runtime let into the URL that no URL parser takes (`x%`, a port past 65535)
    if (!URL.canParse(forwarded.url)) throw new BadRequestError(INVALID_HOST);
    response = await target(forwarded, envArg, executionCtx);
    // itty-router leaves the matched template on the request: the right metrics label
    const template = (forwarded as { route?: unknown }).route;
    if (typeof template === 'string' && x.ctx !== undefined) x.ctx.route = template;
    if (!(response instanceof Response)) throw new TypeError('The wrapped handler did not return a Response');
  } catch (error) {
    return fail(x, error);
  }
  return finish(x, response);
}

/** The `Allow` value for the methods the routes on a path accept. */
function allowHeader(allowed: string[]): string {
  if (allowed.includes('GET')) allowed.push('HEAD');
  allowed.push('OPTIONS');
  return allowed.join(', ');
}

const FALLBACK_500 = '{"message":"Internal server error"}';

/** Config could not be loaded for this env (Workers: first request). Details go to the console only. */
function configFailure(error: unknown): Response {
  console.error(error instanceof Error ? error.message : String(error));
  return fallback500();
}

function fallback500(): Response {
  return new Response(FALLBACK_500, { status: 500, headers: { 'content-type': 'application/json' } });
}
