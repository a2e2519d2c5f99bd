import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseEnvFile, root, run, scratchDir, userEnv } from './init-support.ts';

const RUNTIMES = ['node', 'bun', 'deno', 'workers'] as const;

describe('fetch-batteries init (the command)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const init = (...argv: string[]) => main(['init', ...argv], {}, dir);

  it('--help prints the usage and writes nothing', async () => {
    const { code, out } = await init('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: fetch-batteries init <dir> \[--runtime node\|bun\|deno\|workers\] \[--force\]/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('is listed in the main help', async () => {
    expect((await main(['--help'], {}, dir)).out).toMatch(/^ {2}init <dir> \[--runtime <r>\] +write a new service/m);
  });

  it('asks for a directory, and refuses an unknown runtime or option with exit 2', async () => {
    expect(await init()).toMatchObject({ code: 2, err: expect.stringMatching(/^fetch-batteries init: which directory\?/) });
    expect(await init('svc', '--runtime', 'rust')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--runtime must be one of node, bun, deno, workers, not "rust"/),
    });
    expect(await init('svc', '--runtime')).toMatchObject({ code: 2 });
    expect(await init('svc', '--typo')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option --typo/) });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a directory that is not empty (exit 2, nothing written) unless --force', async () => {
    await mkdir(join(dir, 'taken'));
    await writeFile(join(dir, 'taken/notes.txt'), 'mine');
    const refused = await init('taken');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^fetch-batteries init: taken is not empty \(notes\.txt\): .*--force/);
    expect(await readdir(join(dir, 'taken'))).toEqual(['notes.txt']);

    const forced = await init('taken', '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'taken/notes.txt'), 'utf8')).toBe('mine');
    expect(await readdir(join(dir, 'taken/src'))).toEqual(['app.ts', 'server.ts']);
  });

  it.each(RUNTIMES)('writes what a %s project needs, and says what to run next', async (runtime) => {
    const { code, out } = await init(`My Service ${runtime}`, `--runtime=${runtime}`);
    expect(code).toBe(0);
    // run from this checkout: the package is not on npm, so the install line names the packed tarball
    const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
    const own = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(out).toContain(
      `cd "My Service ${runtime}"\n  npm install ${root}/fetch-batteries-${own.version}.tgz   # not on npm yet: run "npm pack" in ${root} first\n  npm test\n  npm start`,
    );
    const project = join(dir, `My Service ${runtime}`);
    const files = (await readdir(project, { recursive: true })).map(String).sort();
    const envFile = runtime === 'workers' ? '.dev.vars' : '.env';
    const expected = ['.gitignore', envFile, `${envFile}.example`, 'README.md', 'package.json', 'src', 'src/app.ts', 'src/server.ts'];
    expected.push('test', 'test/app.test.ts', 'tsconfig.json');
    if (runtime === 'deno') expected.push('deno.json');
    if (runtime === 'workers') expected.push('wrangler.toml');
    expect(files).toEqual(expected.sort());

    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: `my-service-${runtime}`, type: 'module', dependencies: { 'fetch-batteries': `^${own.version}` } });
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['start', 'dev', 'test', 'openapi', 'token']));
    // DATABASE_URL=postgres://... (the .env names it) needs node-postgres; Workers use the bundled Neon driver
    if (runtime === 'workers') expect(pkg.dependencies.pg).toBeUndefined();
    else expect(pkg.dependencies.pg).toBe(own.devDependencies.pg);
    // exec: npm's SIGTERM then reaches the server rather than stopping at sh -c
    if (runtime !== 'workers') expect(pkg.scripts.start).toMatch(/^exec (node|bun|deno) /);
    // standard decorators: no legacy flag anywhere
    const tsconfig = await readFile(join(project, 'tsconfig.json'), 'utf8');
    expect(tsconfig).not.toMatch(/^\s*"experimentalDecorators"\s*:/m);
    // the comment names what `npm run typecheck` really runs (Deno projects have no tsc)
    expect(tsconfig).toContain(`// ${runtime === 'deno' ? 'deno check' : 'tsc'} checks the types (\`npm run typecheck\`)`);
    expect(pkg.scripts.typecheck).toMatch(runtime === 'deno' ? /^deno check / : /^tsc /);
    const app = await readFile(join(project, 'src/app.ts'), 'utf8');
    for (const part of ['@ApiKey()', "@Scopes('notes:write')", 'Body(NewNote)', "Param('id', NoteId)", 'Db()', 'migrations']) {
      expect(app).toContain(part);
    }
    const env = parseEnvFile(await readFile(join(project, envFile), 'utf8'));
    expect(env).toMatchObject({ ENVIRONMENT: 'DEVELOPMENT', HS_KEY: expect.stringMatching(/^[\w-]{32}$/) });
    expect(env.ACCEPTED_API_KEY).toMatch(/^[\w-]{32}$/);
    // the example carries the names, never the secrets
    const example = parseEnvFile(await readFile(join(project, `${envFile}.example`), 'utf8'));
    expect(example).toMatchObject({ HS_KEY: '', ACCEPTED_API_KEY: '' });
    expect((await readFile(join(project, 'README.md'), 'utf8')).split('\n').length).toBeLessThanOrEqual(35);
  });

  it('runs from the bin in this repository (through tsx, before any build)', async () => {
    const result = await run(
      process.execPath,
      [join(root, 'bin/fetch-batteries.mjs'), 'init', 'from-bin', '--runtime', 'bun'],
      dir,
      userEnv(''),
      60_000,
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Created a bun service in from-bin:');
    expect(JSON.parse(await readFile(join(dir, 'from-bin/package.json'), 'utf8')).scripts.start).toBe('exec bun src/server.ts');
  });

  it('in a checkout before npm install, says to run npm install there', async () => {
    // a fresh clone: bin and src, no dist/ and no node_modules (so no tsx) anywhere above it
    const checkout = join(dir, 'fresh-clone');
    for (const entry of ['bin', 'src', 'package.json']) await cp(join(root, entry), join(checkout, entry), { recursive: true });
    for (const argv of [['init', '../svc', '--runtime', 'node'], ['--help']]) {
      const result = await run(process.execPath, [join(checkout, 'bin/fetch-batteries.mjs'), ...argv], dir, userEnv(''), 60_000);
      expect(result.code).toBe(1);
      expect(result.output).toBe(
        `fetch-batteries: the CLI needs tsx to load TypeScript: run npm install in ${checkout} (this checkout) first\n`,
      );
    }
    expect(await readdir(dir)).not.toContain('svc');
  });

  it('gives every project its own development secrets', async () => {
    await init('one');
    await init('two');
    const key = async (name: string) => parseEnvFile(await readFile(join(dir, name, '.env'), 'utf8')).HS_KEY;
    expect(await key('one')).not.toBe(await key('two'));
  });
});
