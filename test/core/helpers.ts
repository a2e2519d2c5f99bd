import { type AppOptions, ConfigError, createApp } from '../../src/index.ts';

/** A test app with a fixed env (no process.env) and no batteries unless asked. */
export function testApp(controllers: (Function | object)[], options: AppOptions = {}, env: Record<string, string> = {}) {
  return createApp({ env: { ENVIRONMENT: 'TEST', ...env }, testing: true, controllers, logger: quietLogger(), ...options });
}

export function quietLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return Object.assign({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, { lines });
}

export function json(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://test.local${path}`, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function get(path: string, init: RequestInit = {}): Request {
  return new Request(`http://test.local${path}`, init);
}

/** The ConfigError `fn` throws; fails the test when it throws nothing or something else. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
