import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { nextSteps, packageName, projectFiles, RUNTIMES, type Runtime } from './init-files.ts';

export const INIT_USAGE = `Usage: fetch-batteries init <dir> [--runtime node|bun|deno|workers] [--force]

Writes a small, complete service into <dir>: package.json, tsconfig.json, src/app.ts (a
controller with a validated body, a path parameter, an @ApiKey route, a @Scopes route and a
database route with one migration), src/server.ts for the runtime, test/app.test.ts, a .env with
development settings, .gitignore and a README.
Then: cd <dir> && npm install && npm test && npm start

Options:
  --runtime <r>   node (default), bun, deno or workers (Cloudflare Workers)
  --force         write into a directory that is not empty (files of the same name are replaced)
  -h, --help      this text

Exit codes: 0 written, 1 failed, 2 usage error (or <dir> not empty without --force).`;

export interface InitResult {
  code: number;
  out: string;
  err?: string;
}

interface InitArgs {
  dir?: string;
  runtime: Runtime;
  force: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parse(argv: string[]): InitArgs {
  const args: InitArgs = { runtime: 'node', force: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--force' || arg === '-f') args.force = true;
    else if (arg === '--runtime' || arg.startsWith('--runtime=')) {
      const value = arg === '--runtime' ? argv[++i] : arg.slice('--runtime='.length);
      if (!(RUNTIMES as readonly string[]).includes(value ?? '')) {
        throw new UsageError(`--runtime must be one of ${RUNTIMES.join(', ')}${value ? `, not "${value}"` : ''}`);
      }
      args.runtime = value as Runtime;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (args.dir === undefined) args.dir = arg;
    else throw new UsageError(`unexpected argument ${arg} (one directory at a time)`);
  }
  return args;
}

/** Why `target` cannot take the project, or undefined when it can. */
function refusal(target: string, shown: string, force: boolean): string | undefined {
  if (!existsSync(target)) return undefined;
  if (!statSync(target).isDirectory()) return `${shown} exists and is not a directory`;
  const entries = readdirSync(target);
  if (entries.length === 0 || force) return undefined;
  const listed = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', ...' : '');
  return `${shown} is not empty (${listed}): choose a new directory, or add --force to write the project's files into it`;
}

/**
 * `fetch-batteries init <dir>`: writes a new service. Returns what to print and the exit code,
 * without touching the process.
 * @example const { code, out } = await initCommand(['my-service', '--runtime', 'bun'], process.cwd());
 */
export async function initCommand(argv: string[], cwd: string): Promise<InitResult> {
  let args: InitArgs;
  try {
    args = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, out: '', err: `fetch-batteries init: ${error.message}\n\n${INIT_USAGE}\n` };
  }
  if (args.help) return { code: 0, out: `${INIT_USAGE}\n` };
  if (args.dir === undefined) return { code: 2, out: '', err: `fetch-batteries init: which directory?\n\n${INIT_USAGE}\n` };

  const target = resolve(cwd, args.dir);
  const fromCwd = relative(cwd, target);
  // a path outside the cwd reads better absolute than as ../../..
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') ? target : fromCwd;
  const refused = refusal(target, shown, args.force);
  if (refused) return { code: 2, out: '', err: `fetch-batteries init: ${refused}\n` };

  const files = projectFiles(packageName(basename(target)), args.runtime);
  try {
    for (const [path, contents] of Object.entries(files)) {
      const file = join(target, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
  } catch (error) {
    return { code: 1, out: '', err: `fetch-batteries init: could not write ${shown}: ${(error as Error).message}\n` };
  }

  const { url, needs, install } = nextSteps(args.runtime);
  const cd = shown === '.' ? [] : [`  cd ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`];
  const lines = [
    `Created a ${args.runtime} service in ${shown}:`,
    ...Object.keys(files).map((path) => `  ${path}`),
    '',
    'Next:',
    ...cd,
    `  ${install}`,
    '  npm test',
    // last: it keeps the terminal until Ctrl-C
    `  npm start        # ${url}/running, API docs at ${url}/docs`,
  ];
  if (needs) lines.push('', `npm start runs ${needs}: install it first if it is not on your PATH.`);
  return { code: 0, out: `${lines.join('\n')}\n` };
}
