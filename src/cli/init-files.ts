import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RUNTIMES = ['node', 'bun', 'deno', 'workers'] as const;
export type Runtime = (typeof RUNTIMES)[number];

// Two levels up is the package root from src/cli (run through tsx) and from dist/cli (compiled) alike.
const packageRoot = new URL('../../', import.meta.url);
const templates = new URL('src/cli/templates/', packageRoot);

interface OwnPackage {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const own = (): OwnPackage => JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as OwnPackage;

function template(name: string, values: Record<string, string>): string {
  const text = readFileSync(new URL(`${name}.tmpl`, templates), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

const secret = () => randomBytes(24).toString('base64url');

interface RuntimeFacts {
  title: string;
  /** What runs the TypeScript, for the tsconfig comment. */
  runner: string;
  /** What `npm run typecheck` runs, for the same comment. */
  checker: string;
  url: string;
  envFile: string;
  /**
   * `start` execs the runtime: npm hands SIGTERM to the `sh -c` it runs the script in, which does
   * not pass it on, so without `exec` a stopped `npm start` leaves the server running.
   */
  scripts: Record<string, string>;
  /** Runtime dependencies besides fetch-batteries and valibot. */
  dependencies: string[];
  devDependencies: string[];
  types: string[];
}

/** The CLI reads the env file itself through Node, so `npm run token` works on every runtime. */
const cli = (envFile: string, command: string) =>
  `node --env-file=${envFile} node_modules/fetch-batteries/bin/fetch-batteries.mjs ${command}`;
/** Deno's permissions for the service: the network, its settings, and reading PGlite's files. */
export const DENO_ALLOW = '--allow-net --allow-env --allow-read --allow-sys';
const openapi = 'fetch-batteries openapi src/app.ts -o openapi.json';

const FACTS: Record<Runtime, RuntimeFacts> = {
  node: {
    title: 'Node.js',
    runner: 'tsx',
    checker: 'tsc',
    url: 'http://localhost:8080',
    envFile: '.env',
    scripts: {
      start: 'exec node --env-file=.env --import tsx src/server.ts',
      dev: 'tsx watch --env-file=.env src/server.ts',
      test: 'node --import tsx --test --test-reporter=spec test/app.test.ts',
      typecheck: 'tsc --noEmit',
      openapi,
      token: cli('.env', 'token'),
    },
    // DATABASE_URL=postgres://... uses node-postgres, an optional peer of fetch-batteries
    dependencies: ['pg'],
    devDependencies: ['tsx', 'typescript', '@types/node'],
    types: ['node'],
  },
  bun: {
    title: 'Bun',
    runner: 'Bun',
    checker: 'tsc',
    url: 'http://localhost:8080',
    envFile: '.env',
    scripts: {
      start: 'exec bun src/server.ts',
      dev: 'bun --watch src/server.ts',
      // Bun's 5 s default would cut the hook that starts the embedded database on a busy machine
      test: 'bun test --timeout 60000',
      typecheck: 'tsc --noEmit',
      openapi,
      token: cli('.env', 'token'),
    },
    dependencies: ['pg'],
    devDependencies: ['tsx', 'typescript', '@types/node'],
    types: ['node'],
  },
  deno: {
    title: 'Deno',
    runner: 'Deno',
    checker: 'deno check',
    url: 'http://localhost:8080',
    envFile: '.env',
    // the same commands as deno.json's tasks (whose shell has no `exec`), so `npm start` and `deno task start` do the same
    scripts: {
      start: `exec deno run --env-file=.env ${DENO_ALLOW} src/server.ts`,
      dev: `deno run --watch --env-file=.env ${DENO_ALLOW} src/server.ts`,
      test: `deno test ${DENO_ALLOW} test/`,
      typecheck: 'deno check src/ test/',
      openapi,
      token: cli('.env', 'token'),
    },
    dependencies: ['pg'],
    devDependencies: ['tsx', '@types/node'],
    types: [],
  },
  workers: {
    title: 'Cloudflare Workers',
    runner: 'wrangler (esbuild)',
    checker: 'tsc',
    url: 'http://localhost:8787',
    envFile: '.dev.vars',
    scripts: {
      start: 'wrangler dev',
      dev: 'wrangler dev',
      deploy: 'wrangler deploy',
      test: 'node --import tsx --test --test-reporter=spec test/app.test.ts',
      typecheck: 'tsc --noEmit',
      openapi,
      token: cli('.dev.vars', 'token'),
    },
    // the Neon driver that Workers use ships with fetch-batteries
    dependencies: [],
    devDependencies: ['tsx', 'typescript', '@types/node', 'wrangler'],
    types: ['node'],
  },
};

// not among this package's own dependencies: the version the scaffold was tested with
const EXTRA_VERSIONS: Record<string, string> = { wrangler: '^4.0.0' };

function envFile(runtime: Runtime, example: boolean): string {
  const facts = FACTS[runtime];
  const value = (v: string) => (example ? '' : v);
  const lines = example
    ? [
        `# The settings the service reads. For development: copy to ${facts.envFile} and fill in (init wrote one).`,
        '# Deployed, the environment sets them, and ENVIRONMENT unset means PRODUCTION rules.',
      ]
    : [
        `# Development settings, loaded by \`npm start\`${runtime === 'workers' ? ' (wrangler dev)' : ''}. Git ignores this file.`,
        '# Deployed, the environment sets real values, and ENVIRONMENT unset means PRODUCTION rules.',
      ];
  lines.push('ENVIRONMENT=DEVELOPMENT');
  if (runtime !== 'workers') lines.push('PORT=8080', 'HOST=127.0.0.1');
  lines.push(
    '# the X-Api-Key that DELETE /notes/:id accepts (any long random string)',
    `ACCEPTED_API_KEY=${value(secret())}`,
    '# signs and checks internal bearer tokens: npm run token -- --scope notes:write',
    `HS_KEY=${value(secret())}`,
    '# internal tokens are issued by PROXY_URL + "/"',
    `PROXY_URL=${facts.url}`,
  );
  if (runtime === 'workers') {
    lines.push(
      '# the /notes routes need PostgreSQL over WebSocket here (Neon); PGlite cannot run on Workers',
      '# DATABASE_URL=postgres://user:password@ep-example.eu-central-1.aws.neon.tech/neondb',
    );
  } else {
    lines.push(
      '# unset: the embedded PostgreSQL (PGlite) in memory; a directory keeps the data; or postgres://...',
      '# DATABASE_URL=.pglite',
    );
  }
  return `${lines.join('\n')}\n`;
}

function packageJson(name: string, runtime: Runtime): string {
  const pkg = own();
  const known = { ...pkg.dependencies, ...pkg.devDependencies, ...EXTRA_VERSIONS };
  const pinned = (deps: string[]) => deps.map((dep) => [dep, known[dep]]);
  const devDependencies = Object.fromEntries(pinned([...FACTS[runtime].devDependencies].sort()));
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    // fetch-batteries is ESM only (and the server files use top-level await)
    type: 'module',
    // --env-file and --import (npm start, npm run token) arrived in Node 20.6
    engines: { node: '>=20.6' },
    scripts: FACTS[runtime].scripts,
    dependencies: Object.fromEntries([
      ['fetch-batteries', `^${pkg.version}`],
      ...pinned(['valibot', ...FACTS[runtime].dependencies].sort()),
    ]),
    devDependencies,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** A package name from a directory name: lower case, URL-safe. */
export function packageName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name === '' ? 'my-service' : name.slice(0, 214);
}

/** Every file of a new project for `runtime`, path to contents. */
export function projectFiles(name: string, runtime: Runtime): Record<string, string> {
  const facts = FACTS[runtime];
  const envExample = `${facts.envFile}.example`;
  const values = {
    name,
    runtime,
    runtimeTitle: facts.title,
    runner: facts.runner,
    checker: facts.checker,
    url: facts.url,
    envFile: facts.envFile,
    envExample,
    types: JSON.stringify(facts.types),
    denoAllow: DENO_ALLOW,
    typesWhy:
      runtime === 'deno'
        ? 'Deno types the code itself (deno check); this file serves tsx (npm run openapi) and editors.'
        : "Node's types: process.env, and node:test / node:assert in the tests.",
    dbCell:
      runtime === 'workers'
        ? 'the database: PostgreSQL over WebSocket (Neon) from `DATABASE_URL`; left out without it, as PGlite cannot run on Workers'
        : 'the database: PGlite in memory unless `DATABASE_URL` is set; one migration creates the table',
  };
  const files: Record<string, string> = {
    'package.json': packageJson(name, runtime),
    'tsconfig.json': template('tsconfig.json', values),
    'src/app.ts': template('app.ts', values),
    'src/server.ts': template(`server.${runtime}.ts`, values),
    'test/app.test.ts': template('app.test.ts', values),
    [facts.envFile]: envFile(runtime, false),
    [envExample]: envFile(runtime, true),
    '.gitignore': template('gitignore', values),
    'README.md': template('README.md', values),
  };
  if (runtime === 'deno') files['deno.json'] = template('deno.json', values);
  if (runtime === 'workers') files['wrangler.toml'] = template('wrangler.toml', values);
  return files;
}

/** The commands that follow `init`, for its closing message. */
export function nextSteps(runtime: Runtime): { url: string; needs?: string; install: string } {
  const needs = runtime === 'bun' ? 'bun' : runtime === 'deno' ? 'deno' : undefined;
  return { url: FACTS[runtime].url, needs, install: installCommand() };
}

/**
 * How the new project gets its dependencies. Run from a git checkout (the package is not on npm
 * yet), `npm install` alone would fail to find fetch-batteries: point at the tarball `npm pack`
 * writes in the checkout instead.
 */
function installCommand(): string {
  if (!existsSync(new URL('.git', packageRoot))) return 'npm install';
  const root = fileURLToPath(packageRoot).replace(/\/$/, '');
  const tarball = `${root}/fetch-batteries-${own().version}.tgz`;
  return `npm install ${/\s/.test(tarball) ? JSON.stringify(tarball) : tarball}   # not on npm yet: run "npm pack" in ${root} first`;
}
