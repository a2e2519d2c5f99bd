import { type AppOptions, createApp } from '../../src/index.ts';

export const HS_KEY = 'test-hs-key-with-enough-entropy-0123456789';
export const PROXY_URL = 'http://localhost';
export const HS_ISSUER = 'http://localhost/';

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps every line, so tests can check what was (and was not) logged. */
export function captureLogger() {
  const lines: LogLine[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return Object.assign(
    { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    { lines, text: () => JSON.stringify(lines) },
  );
}

/** An app with only the given env (never process.env), no monitoring routes, logs captured. */
export function secureApp(controllers: (Function | object)[], env: Record<string, string> = {}, options: AppOptions = {}) {
  const logger = captureLogger();
  const app = createApp({
    env: { ENVIRONMENT: 'DEVELOPMENT', HS_KEY, PROXY_URL, ...env },
    testing: true,
    docs: false,
    controllers,
    logger,
    ...options,
  });
  return { app, logger };
}

export function req(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Request {
  return new Request(`http://test.local${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function expectJson(response: Response): Promise<{ status: number; body: unknown }> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
