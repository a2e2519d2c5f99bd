// Handlers whose source does not show their parameters as written: a method wrapped by the user's
// own decorator (`function (...args)`, the usual timing or logging decorator) and a parameter list
// holding only a comment (tsc keeps it). Neither declares a parameter: the route is served.
import { afterAll, describe, expect, it } from 'vitest';
import { Controller, createApp, Get } from '../../src/index.ts';
import { importCompiled, removeTemporaryModules } from '../support/standard-build.ts';
import { call, type Fixture, PRELUDE } from './standard-decorators-support.ts';

afterAll(removeTemporaryModules);

const TIMED = {
  legacy: `function Timed() { return (_t, _k, d) => { const o = d.value; d.value = function (...args) { return o.apply(this, args); }; return d; }; }`,
  standard: `function Timed() { return (value) => function (...args) { return value.apply(this, args); }; }`,
};

describe.each(['standard', 'legacy'] as const)('a route method wrapped by a user decorator, %s decorators', (mode) => {
  it('starts and answers, with and without parameters', async () => {
    const m = await importCompiled<Fixture>(
      `${PRELUDE}\n${TIMED[mode]}\n@Controller('/t') class C {
        @Get('/') @Timed() list() { return { ok: 1 }; }
        @Get('/:id', Param('id')) @Timed() one(id) { return { id }; }
      }\nexport const said = tryMake([C]);\nexport const app = said === 'accepted' ? make([C]) : undefined;`,
      mode,
    );
    expect(m.said).toBe('accepted');
    expect(await (await call(m.app, 'GET', '/t')).json()).toEqual({ ok: 1 });
    expect(await (await call(m.app, 'GET', '/t/7')).json()).toEqual({ id: '7' });
  });
});

describe('a parameter list holding only a comment', () => {
  it('declares no parameter: the route is served', async () => {
    class Listing {}
    // built from text, so the comment survives as tsc leaves it (tsx and esbuild drop comments)
    const list = new Function('return function list(/* no parameters */) { return { ok: 1 }; }')() as () => unknown;
    Object.defineProperty(Listing.prototype, 'list', { value: list, writable: true, configurable: true });
    Get('/')(Listing.prototype, 'list', Object.getOwnPropertyDescriptor(Listing.prototype, 'list') as PropertyDescriptor);
    Controller('/c')(Listing);
    const app = createApp({ env: { ENVIRONMENT: 'TEST' }, testing: true, docs: false, controllers: [Listing] });
    const res = await app.fetch(new Request('http://test.local/c'));
    expect(await res.json()).toEqual({ ok: 1 });
  });
});
