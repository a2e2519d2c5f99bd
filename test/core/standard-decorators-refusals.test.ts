// What createApp refuses to read from decorators, in standard and legacy mode, and how it says so.
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryModules } from '../support/standard-build.ts';
import { refusal } from './standard-decorators-support.ts';

afterAll(removeTemporaryModules);

describe('createApp refuses what it cannot read, naming class and method', () => {
  it('a @Controller with no routes (a decorator imported from elsewhere), in either mode', async () => {
    const typo = `const Get2 = (..._a) => () => {}; @Controller('/x') class Hello { @Get2('/hello') hello() { return 'hi'; } }`;
    for (const mode of ['standard', 'legacy'] as const) {
      const said = await refusal(typo, 'Hello', mode);
      expect(said).toContain('Hello is a @Controller with no routes');
      expect(said).toContain("@Get('/:id', Param('id'))");
      expect(said).toContain('experimentalDecorators');
    }
  });

  it('a decorator used without parentheses', async () => {
    expect(await refusal(`@Controller('/x') class C { @Get hello() { return 1; } }`)).toContain(
      '@Get on C.hello is used without parentheses',
    );
    expect(await refusal(`@Controller class C { @Get() hello() { return 1; } }`)).toContain('@Controller on C is used without parentheses');
    for (const name of ['Scopes', 'ApiKey', 'Status', 'Tags', 'Deprecated', 'Secured', 'Returns']) {
      expect(await refusal(`@Controller('/x') class C { @Get() @${name} hello() { return 1; } }`)).toContain(
        `@${name} on C.hello is used without parentheses`,
      );
    }
    expect(await refusal(`@Controller('/x') @ApiKey class C { @Get() hello() { return 1; } }`)).toContain(
      '@ApiKey on C is used without parentheses',
    );
    expect(await refusal(`@Controller('/x') class C { @Get() hello() { return 1; } }`)).toBe('accepted');
  });

  it('the same mistakes with legacy decorators', async () => {
    const legacy = (body: string) => refusal(body, 'C', 'legacy');
    expect(await legacy(`@Controller('/x') class C { @Get hello() { return 1; } }`)).toContain(
      '@Get on C.hello is used without parentheses',
    );
    expect(await legacy(`@Controller class C { @Get() hello() { return 1; } }`)).toContain('@Controller on C is used without parentheses');
    expect(await legacy(`@Controller('/x') @ApiKey class C { @Get() hello() { return 1; } }`)).toContain(
      '@ApiKey on C is used without parentheses',
    );
    expect(await legacy(`@Controller('/x') class C { @Get('/x') hello(@Param id) { return id; } }`)).toContain(
      '@Param on C.hello is used without parentheses',
    );
    expect(await legacy(`@Controller('/x') class C { @Get() ok() { return 1; } @Get('/f') field = 1; }`)).toContain('@Get on C.field');
    expect(await legacy(`@Controller('/x') class C { @Get() ok() { return 1; } @Get('/s') static s() { return 1; } }`)).toContain(
      'not on a static member',
    );
  });

  it('a route decorator on a field, getter, accessor, static or private method', async () => {
    const cases: [string, string][] = [
      [`@Get('/f') field = 1;`, '@Get on C.field: it belongs on an instance method of a @Controller class, not on a field'],
      [`@Get('/g') get value() { return 1; }`, 'not on a getter'],
      [`@Get('/a') accessor count = 1;`, 'not on a accessor'],
      [`@Get('/s') static s() { return 1; }`, 'not on a static method'],
      [`@Get('/p') #p() { return 1; }`, 'not on a private (#) method'],
      [`@Scopes('x') field = 1;`, '@Scopes on C.field'],
    ];
    for (const [member, message] of cases) {
      expect(await refusal(`@Controller('/x') class C { @Get() ok() { return 1; } ${member} }`)).toContain(message);
    }
    expect(await refusal(`@Controller('/x') class C { @Get() @Param('id') ok() { return 1; } }`)).toContain(
      "Param(...) on C.ok is not on a parameter: list it in the route decorator instead, e.g. @Get('/:id', Param(...))",
    );
  });

  it('specs that do not match the handler, and both forms on one method', async () => {
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id')) get(id, q) { return id; } }`)).toContain(
      "C.get takes 2 parameters but @Get('/:id', ...) lists 1 parameter spec",
    );
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), Query('q')) get(id) { return id; } }`)).toContain(
      "C.get takes 1 parameter but @Get('/:id', ...) lists 2 parameter specs",
    );
    // a default value makes fn.length stop counting: accepted
    expect(
      await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), Query('q')) get(id, q = 'none') { return { id, q }; } }`),
    ).toBe('accepted');
    expect(await refusal(`@Controller('/x') class C { @Get('/:id', Param('id'), v.string()) get(id, q) { return id; } }`)).toContain(
      '@Get on C.get: argument 3 is not a parameter spec',
    );
    expect(await refusal(`@Controller('/x') class C { @Get('/', Param) get(id) { return id; } }`)).toContain(
      'argument 2 is not a parameter spec',
    );
    const both = `@Controller('/x') class C { @Get('/:id', Param('id')) get(@Param('id') id) { return id; } }`;
    expect(await refusal(both, 'C', 'legacy')).toContain('C.get has parameter specs in @Get(...) and parameter decorators: use one form');
    expect(await refusal(`@Controller('/x') class C { @Get('/:id') get(id) { return id; } }`)).toContain(
      'C.get parameter 0 has no decorator',
    );
  });
});
