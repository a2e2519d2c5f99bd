// Decorator mistakes that used to start a service with a route missing, unreachable or answering
// 500: createApp (or the decorator itself) now refuses them, the same way in both decorator modes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { importCompiled, removeTemporaryModules, root, STANDARD_TSCONFIG } from '../support/standard-build.ts';
import { call, type Fixture, PRELUDE, refusal } from './standard-decorators-support.ts';

afterAll(removeTemporaryModules);

/** The message a class definition throws while it is decorated, or 'defined'. */
async function thrownAtDefinition(body: string, mode: 'standard' | 'legacy'): Promise<string> {
  const m = await importCompiled<{ thrown: string }>(
    `${PRELUDE}\nexport let thrown = 'defined';\ntry { ${body} } catch (e) { thrown = e.message; }`,
    mode,
  );
  return m.thrown;
}

describe.each(['standard', 'legacy'] as const)('silent decorator mistakes, %s decorators', (mode) => {
  const refused = (body: string, controllers = 'C') => refusal(body, controllers, mode);

  it('refuses two routes whose paths differ only in parameter names, naming both', async () => {
    const said = await refused(
      `@Controller('/x') class C { @Get('/:id', Param('id')) a(id) { return id; } @Get('/:key', Param('key')) b(key) { return key; } }`,
    );
    expect(said).toBe('Duplicate route GET /x/:key: GET /x/:id matches the same paths');
    expect(
      await refused(
        `@Controller('/x') class C { @Get('/:a+', Param('a')) a(a) { return a; } @Get('/:b+', Param('b')) b(b) { return b; } }`,
      ),
    ).toContain('Duplicate route GET /x/:b+');
    // a modifier changes what the path matches: not a duplicate
    expect(
      await refused(
        `@Controller('/x') class C { @Get('/:a', Param('a')) a(a) { return a; } @Get('/:b+/z', Param('b')) b(b) { return b; } }`,
      ),
    ).toBe('accepted');
  });

  it('refuses one path whose parameter is named differently by two methods, and accepts one name', async () => {
    expect(
      await refused(
        `@Controller('/x') class C { @Get('/:id', Param('id')) a(id) { return id; } @Delete('/:other', Param('other')) b(o) { return o; } }`,
      ),
    ).toBe('Route DELETE /x/:other names its parameters differently from GET /x/:id on the same path: use the same names');
    const m = await importCompiled<Fixture>(
      `${PRELUDE}\n@Controller('/x') class C { @Get('/:id', Param('id')) a(id) { return 'got ' + id; } @Delete('/:id', Param('id')) b(id) { return 'deleted ' + id; } }\nexport const app = make([C]);`,
      mode,
    );
    expect(await (await call(m.app, 'GET', '/x/7')).text()).toBe('got 7');
    expect(await (await call(m.app, 'DELETE', '/x/7')).text()).toBe('deleted 7');
  });

  it('refuses route options on a method with no route decorator, and keeps them on an override of a base route', async () => {
    expect(
      await refused(`@Controller('/x') class C { @Get('/') ok() { return 1; } @Scopes('admin') @Status(201) z() { return 2; } }`),
    ).toBe(
      "C.z has route options (@Status, @Scopes, @Doc, ...) but no route decorator: add @Get('/path') (or @Post, @Put, @Patch, @Delete) to it",
    );
    expect(
      await refused(
        `class B { @Doc({ summary: 's' }) z() { return 2; } } @Controller('/x') class C extends B { @Get('/') ok() { return 1; } }`,
      ),
    ).toContain('B.z has route options');
    const m = await importCompiled<Fixture>(
      `${PRELUDE}\nclass B { @Get('/b') b() { return 1; } }\n@Controller('/x') class C extends B { @Status(202) b() { return 2; } }\nexport const app = make([C]);`,
      mode,
    );
    expect((await call(m.app, 'GET', '/x/b')).status).toBe(202);
  });

  it('refuses a handler whose defaulted parameter nothing fills, and accepts one with a spec', async () => {
    expect(await refused(`@Controller('/x') class C { @Get('/') m(page = '1') { return { page }; } }`)).toContain(
      "C.m declares 1 parameter but neither @Get('/', ...) nor a parameter decorator says where it comes from",
    );
    const m = await importCompiled<Fixture>(
      `${PRELUDE}\n@Controller('/x') class C { @Get('/', Query('page')) m(page = '1') { return { page }; } }\nexport const app = make([C]);`,
      mode,
    );
    expect(await (await call(m.app, 'GET', '/x?page=7')).json()).toEqual({ page: '7' });
  });

  it('throws on a route or option decorator on a symbol-named method', async () => {
    const S = `const S = Symbol('s');`;
    expect(
      await thrownAtDefinition(`${S} @Controller('/x') class C { @Get() ok() { return 1; } @Get('/s') [S]() { return 1; } }`, mode),
    ).toMatch(/^@Get on (C\.)?\[Symbol\(s\)\]: a route method needs a string name, not a symbol/);
    expect(
      await thrownAtDefinition(`${S} @Controller('/x') class C { @Get() ok() { return 1; } @Scopes('a') [S]() { return 1; } }`, mode),
    ).toContain('@Scopes on');
  });

  it('refuses two @Controller on one class', async () => {
    expect(await refused(`@Controller('/a') @Controller('/b') class C { @Get() ok() { return 1; } }`)).toBe(
      '@Controller on C is applied twice: keep one',
    );
  });
});

describe('silent mistakes with parameter decorators (legacy decorators)', () => {
  const legacy = (body: string) => refusal(body, 'C', 'legacy');

  it('refuses parameter decorators on a method with no route decorator', async () => {
    expect(await legacy(`@Controller('/x') class C { @Get('/') ok() { return 1; } z(@Param('id') id) { return id; } }`)).toContain(
      'C.z has parameter decorators but no route decorator',
    );
  });

  it('throws on a parameter decorator of a symbol-named method', async () => {
    const body = `const S = Symbol('s'); @Controller('/x') class C { @Get() ok() { return 1; } [S](@Param('id') id) { return id; } }`;
    expect(await thrownAtDefinition(body, 'legacy')).toContain('@Param on C.[Symbol(s)]: a route method needs a string name');
  });
});

describe('on real Bun', () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'fb-bun-decorators-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Bun prints a standard-decorated method with its decorators in a computed key,
  // `[(_dec = [Get("/:id", ...)], "m")](id) {...}`, and drops an in-place parameter decorator
  const fixture = `
import { Controller, Get, Param, Query, createApp } from '${join(root, 'src/index.ts')}';
const env = { ENVIRONMENT: 'TEST', HS_KEY: 'x'.repeat(32), PROXY_URL: 'https://p.example', ACCEPTED_API_KEY: 'k' } as never;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const said = async (c: Function, path: string) => {
  try {
    const app = createApp({ env, testing: true, controllers: [c], logger: quiet });
    return await (await app.fetch(new Request('http://x' + path))).text();
  } catch (e) { return (e as Error).message; }
};
@Controller('/a') class TooMany { @Get('/:id', Param('id'), Query('q')) m(id: string) { return id; } }
@Controller('/b') class Defaulted { @Get('/') m(@Query('page') page = '1') { return page; } }
console.log(JSON.stringify([await said(TooMany, '/a/1'), await said(Defaulted, '/b?page=7')]));
`;
  const bun = async (standard: boolean) => {
    const file = join(dir, `fixture-${standard ? 'standard' : 'legacy'}.ts`);
    writeFileSync(file, fixture);
    const args = [...(standard ? [`--tsconfig-override=${STANDARD_TSCONFIG}`] : []), file];
    const { stdout } = await run(join(root, 'node_modules/.bin/bun'), args, { cwd: root });
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as [string, string];
  };

  it('standard decorators: refuses more specs than parameters, and a parameter decorator Bun dropped', async () => {
    const [tooMany, defaulted] = await bun(true);
    expect(tooMany).toContain("TooMany.m takes 1 parameter but @Get('/:id', ...) lists 2 parameter specs");
    expect(defaulted).toContain("Defaulted.m declares 1 parameter but neither @Get('/', ...) nor a parameter decorator");
  });

  it('legacy decorators: refuses more specs than parameters, and serves the decorated defaulted parameter', async () => {
    const [tooMany, defaulted] = await bun(false);
    expect(tooMany).toContain("TooMany.m takes 1 parameter but @Get('/:id', ...) lists 2 parameter specs");
    expect(defaulted).toBe('7');
  });
});
