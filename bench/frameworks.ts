/**
 * The same small service written four ways, for the plain-json and validated-post scenarios:
 * fetch-batteries (testing mode, and with every battery on), Hono + valibot (the same routes, no
 * batteries), Hono + valibot with the same per-request batteries added the Hono way, and a bare
 * itty-router handler + valibot. Each answers GET /hello and POST /echo (JSON body validated by valibot).
 */
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { timing } from 'hono/timing';
import { Router } from 'itty-router';
import * as v from 'valibot';
import { Body, Controller, consoleJsonLogger, createApp, Get, type Logger, Post } from '../src/index.ts';
import { benchLogger, honoLogLine, LOG_TARGET_NAMES, type LogKind } from './log-targets.ts';
import type { BenchTarget } from './scenario.ts';

export const NewPatient = v.object({
  first_name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  last_name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  nhs_number: v.optional(v.pipe(v.string(), v.regex(/^\d{10}$/, 'must be 10 digits'))),
});

export const POST_BODY = JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', nhs_number: '9434765919' });

@Controller('/')
class BenchController {
  @Get('/hello')
  hello() {
    return { message: 'Hello, world' };
  }

  @Post('/echo')
  echo(@Body(NewPatient) body: v.InferOutput<typeof NewPatient>) {
    return body;
  }
}

/** The default console logger's real JSON formatting, written nowhere (testing mode logs errors only). */
const discardJsonLogger = (): Logger => consoleJsonLogger('info', () => {});

/** fetch-batteries in testing mode: no monitoring routes, no metrics, no request log. */
export function fetchBatteriesTesting(): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'INFO' },
    controllers: [BenchController],
    testing: true,
    docs: false,
    logger: discardJsonLogger(),
  });
  return { name: 'fetch-batteries (testing: true)', fetch: app.fetch, app, close: () => app.close() };
}

/**
 * fetch-batteries as a deployed service runs: monitoring routes, metrics, docs, and the request
 * log written to standard output (over HTTP) the way `log` says (bench/log-targets.ts).
 */
export function fetchBatteries(log: LogKind = 'batched'): BenchTarget {
  const app = createApp({
    env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'INFO' },
    controllers: [BenchController],
    docs: true,
    logger: benchLogger(log),
  });
  return { name: LOG_TARGET_NAMES[log], fetch: app.fetch, app, close: () => app.close() };
}

const isJson = (type: string | null | undefined) => type != null && /^application\/json\s*(;|$)/i.test(type);
const issuesOf = (issues: v.BaseIssue<unknown>[]) => issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));

/** POST /echo the Hono way: content type, JSON parse, valibot, the same statuses as ours. */
async function honoEcho(c: Context): Promise<Response> {
  if (!isJson(c.req.header('content-type'))) return c.json({ message: 'Unsupported media type' }, 415);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ message: 'Malformed JSON body' }, 400);
  }
  const result = v.safeParse(NewPatient, body);
  if (!result.success) return c.json({ message: 'Validation failed', issues: issuesOf(result.issues) }, 422);
  return c.json(result.output);
}

/** Hono doing the same work by hand: content type, JSON parse, valibot, the same statuses. */
export function hono(): BenchTarget {
  const app = new Hono();
  app.get('/hello', (c) => c.json({ message: 'Hello, world' }));
  app.post('/echo', honoEcho);
  return { name: 'hono', fetch: (request) => app.fetch(request) };
}

/**
 * Hono doing the batteries' per-request work too, the way a Hono user would add it: hono/request-id
 * (keeps a well-formed incoming id), hono/timing (Server-Timing), the three no-cache headers, a
 * request counter by route template and status, and one JSON log line with the same fields as ours,
 * written with `console.log` as hono/logger does (to the drained stdout pipe over HTTP, nowhere in process),
 * or (`pino`) with pino's asynchronous destination, as a Hono user who wants a fast log line would.
 */
export function honoBatteries(log: 'line' | 'pino' = 'line'): BenchTarget {
  const app = new Hono<{ Variables: { requestId: string } }>();
  const { logger } = withHonoBatteries(app, log);
  app.get('/hello', (c) => c.json({ message: 'Hello, world' }));
  app.post('/echo', honoEcho);
  return {
    name: log === 'pino' ? 'hono + the same batteries (pino async)' : 'hono + the same batteries',
    fetch: (request) => app.fetch(request),
    // pino's asynchronous destination must be flushed before the process exits
    close: logger === undefined ? undefined : () => new Promise<void>((resolve) => logger.flush(resolve)),
  };
}

type Pino = { info(fields: object, message: string): void; flush(done: () => void): void };

/** The per-request batteries of `honoBatteries`, added to any Hono app (the JWT scenario's too). */
export function withHonoBatteries(app: Hono<{ Variables: { requestId: string } }>, log: 'line' | 'pino'): { logger: Pino | undefined } {
  const logger = log === 'pino' ? (benchLogger('pino') as unknown as Pino) : undefined;
  const counts = new Map<string, number>();
  app.use(requestId(), timing(), async (c, next) => {
    const start = performance.now();
    c.header('cache-control', 'no-cache, must-revalidate');
    c.header('pragma', 'no-cache');
    c.header('expires', '0');
    await next();
    const status = c.res.status;
    const key = `${c.req.method} ${c.req.routePath} ${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const message = `${c.req.method} "${c.req.url}" ${status}`;
    const httpRequest = {
      requestMethod: c.req.method,
      requestUrl: c.req.url,
      status,
      userAgent: c.req.header('user-agent'),
      latency: `${((performance.now() - start) / 1000).toFixed(6)}s`,
    };
    if (logger !== undefined) logger.info({ requestId: c.get('requestId'), httpRequest }, message);
    else {
      honoLogLine(
        JSON.stringify({ timestamp: new Date().toISOString(), severity: 'INFO', message, requestId: c.get('requestId'), httpRequest }),
      );
    }
  });
  return { logger };
}

const jsonResponse = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** A bare itty-router `Router` (no middleware), handlers returning Responses themselves. */
export function ittyBare(): BenchTarget {
  const router = Router();
  router.get('/hello', () => jsonResponse({ message: 'Hello, world' }));
  router.post('/echo', async (request: Request) => {
    if (!isJson(request.headers.get('content-type'))) return jsonResponse({ message: 'Unsupported media type' }, 415);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return jsonResponse({ message: 'Malformed JSON body' }, 400);
    }
    const result = v.safeParse(NewPatient, body);
    if (!result.success) return jsonResponse({ message: 'Validation failed', issues: issuesOf(result.issues) }, 422);
    return jsonResponse(result.output);
  });
  router.all('*', () => jsonResponse({ message: 'Not found' }, 404));
  return { name: 'itty-router (bare)', fetch: (request) => router.fetch(request) as Promise<Response> };
}

export async function allTargets(): Promise<BenchTarget[]> {
  return [
    fetchBatteriesTesting(),
    fetchBatteries('batched'),
    fetchBatteries('line'),
    fetchBatteries('pino'),
    hono(),
    honoBatteries(),
    honoBatteries('pino'),
    ittyBare(),
  ];
}
