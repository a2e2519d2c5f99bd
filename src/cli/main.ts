import { createRequire } from 'node:module';
import { initCommand } from './init.ts';
import { CliError, EXIT } from './load-app.ts';
import { type CommandResult, OPENAPI_USAGE, openapiCommand } from './openapi-command.ts';

export const USAGE = `Usage: fetch-batteries <command> [options]

Commands:
  init <dir> [--runtime <r>]                  write a new service for node, bun, deno or workers
  openapi <module> [-o file.json|file.yaml]   write the app's OpenAPI 3.1 document
  token [options]                             mint a JWT for local testing (see: token --help)
  help [<command>]                            this text, or the command's usage

Options:
  -h, --help      help (also after a command)
  -v, --version   the fetch-batteries version

Exit codes: 0 ok, 1 failed, 2 usage error, 3 module not found, 4 module exports no app.`;

/** The commands `help <command>` explains. */
const COMMANDS = ['init', 'openapi', 'token'];

type TokenCommand = (argv: string[], env: Record<string, string | undefined>) => Promise<{ code: number; out: string }>;

async function token(argv: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  // a variable specifier: the security battery ships token.ts; the CLI must still start without it
  const specifier = './token.ts';
  let command: TokenCommand | undefined;
  try {
    command = ((await import(specifier)) as { tokenCommand?: TokenCommand }).tokenCommand;
  } catch (error) {
    // only token.ts itself missing means "not in this build"; a broken import inside it is a real error
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'ERR_MODULE_NOT_FOUND' || !/[\\/]cli[\\/]token\.ts/.test(String(message))) throw error;
  }
  if (typeof command !== 'function') {
    return {
      code: EXIT.failed,
      out: '',
      err: 'fetch-batteries: the token command is not available in this build (src/cli/token.ts is missing)\n',
    };
  }
  const result = await command(argv, env);
  return result.code === 0 ? { code: 0, out: result.out } : { code: result.code, out: '', err: ensureNewline(result.out) };
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function version(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}

/**
 * The `fetch-batteries` command, without touching the process: returns what to print and the exit code.
 * @example const { code, out, err } = await main(['openapi', 'src/app.ts'], process.env, process.cwd());
 */
export async function main(argv: string[], env: Record<string, string | undefined>, cwd: string): Promise<CommandResult> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        return { code: EXIT.usage, out: '', err: `${USAGE}\n` };
      case 'help':
        // `help token` is the token usage, as `token --help` is; `help help` is this text, as `help` is
        if (rest[0] !== undefined && rest[0] !== 'help') {
          if (!COMMANDS.includes(rest[0]))
            return {
              code: EXIT.usage,
              out: '',
              err: `fetch-batteries: no help on "${rest[0]}" (commands: ${COMMANDS.join(', ')})\n\n${USAGE}\n`,
            };
          return await main([rest[0], '--help'], env, cwd);
        }
        return { code: EXIT.ok, out: `${USAGE}\n` };
      case '-h':
      case '--help':
        return { code: EXIT.ok, out: `${USAGE}\n` };
      case '-v':
      case '--version':
        return { code: EXIT.ok, out: `${version()}\n` };
      case 'init':
        return await initCommand(rest, cwd);
      case 'openapi':
        return await openapiCommand(rest, cwd, env);
      case 'token':
        return await token(rest, env);
      default:
        return { code: EXIT.usage, out: '', err: `fetch-batteries: unknown command "${command}"\n\n${USAGE}\n` };
    }
  } catch (error) {
    if (error instanceof CliError) return { code: error.code, out: '', err: `fetch-batteries: ${error.message}\n` };
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { code: EXIT.failed, out: '', err: `fetch-batteries: ${message}\n` };
  }
}

export { OPENAPI_USAGE };
