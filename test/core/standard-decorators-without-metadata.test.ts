// Standard decorators on a runtime or emit without Symbol.metadata (context.metadata undefined).
import { afterAll, describe, expect, it } from 'vitest';
import { Controller, Get } from '../../src/index.ts';
import { importCompiled, removeTemporaryModules } from '../support/standard-build.ts';
import { testApp } from './helpers.ts';
import { bearer, call, type Fixture, PRELUDE, token } from './standard-decorators-support.ts';

afterAll(removeTemporaryModules);

describe('standard decorators without context.metadata', () => {
  it('attaches member records by the method itself, as TypeScript emits them where Symbol.metadata is missing', async () => {
    class Bare {
      hello() {
        return { hi: true };
      }
      skipped() {}
    }
    const context = (kind: string, name: string) => ({
      kind,
      name,
      static: false,
      private: false,
      addInitializer() {},
      metadata: undefined,
    });
    // what a standard method decorator and then the class decorator receive
    (Get('/hello') as unknown as (v: unknown, c: unknown) => void)(Bare.prototype.hello, context('method', 'hello'));
    (Controller('/bare') as unknown as (v: unknown, c: unknown) => void)(Bare, context('class', 'Bare'));
    const res = await testApp([Bare]).fetch(new Request('http://test.local/bare/hello'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hi: true });
  });

  it('works with TypeScript own emit (tsc, no experimentalDecorators) on this Node', async () => {
    const ts = (await import('typescript')).default;
    const source = `${PRELUDE}
@Controller('/items') class I { @Get('/:id', Param('id'), Query('q')) @Scopes('read:item') get(id: string, q?: string) { return { id, q }; } }
export const app = make([I]);`;
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
    }).outputText;
    expect(js).toContain('__esDecorate');
    const { app } = await importCompiled<Fixture>(js, 'standard');
    const res = await call(app, 'GET', '/items/7?q=x', { headers: bearer(await token(['read:item'])) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '7', q: 'x' });
  });
});
