import { describe, expect, it } from 'vitest';
import { Body, Controller, createApp, Post } from '../../src/index.ts';

// Validation runs a schema through its Standard Schema `validate` (src/kernel/validate.ts). A
// hand-written one (no valibot `async` flag) that answers with a promise was read as a result:
// every body, valid or not, reached the handler as undefined. Plain-key issue paths came out as "undefined".
type Result = { value: unknown } | { issues: { message: string; path?: PropertyKey[] }[] };
const positive = (async: boolean) => ({
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate(value: unknown): Result | Promise<Result> {
      const n = (value as { n?: unknown } | null)?.n;
      const result: Result =
        typeof n === 'number' && n > 0 ? { value: { n } } : { issues: [{ message: 'n must be positive', path: ['n'] }] };
      return async ? Promise.resolve(result) : result;
    },
  },
});

function appWith(async: boolean) {
  @Controller('/')
  class Numbers {
    // biome-ignore lint/suspicious/noExplicitAny: not a valibot schema, on purpose
    @Post('/n', Body(positive(async) as any))
    take(body: unknown) {
      return { got: body };
    }
  }
  return createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Numbers] });
}
const post = (body: string) => new Request('http://h/n', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('a hand-written Standard Schema in Body()', () => {
  for (const async of [false, true]) {
    it(`${async ? 'async' : 'sync'}: a valid body reaches the handler, an invalid one is a 422 naming its path`, async () => {
      const app = appWith(async);
      const ok = await app.fetch(post('{"n":3}'));
      expect([ok.status, await ok.json()]).toEqual([200, { got: { n: 3 } }]);
      const bad = await app.fetch(post('{"n":-1}'));
      expect([bad.status, await bad.json()]).toEqual([
        422,
        { message: 'Request validation failed', issues: [{ path: ['body', 'n'], message: 'n must be positive' }] },
      ]);
    });
  }
});
