import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { CliError, EXIT, loadApp } from './load-app.ts';

export const OPENAPI_USAGE = `Usage: fetch-batteries openapi <module> [-o <file.json|file.yaml>] [--format json|yaml] [--export <name>]

Writes the OpenAPI 3.1 document of the app that <module> exports (default export, \`app\`,
or a create...App() factory). Without -o it prints JSON (or --format yaml) to stdout.
When ENVIRONMENT is unset the app is built with ENVIRONMENT=DEVELOPMENT.`;

export interface CommandResult {
  code: number;
  out: string;
  err?: string;
}

interface OpenapiArgs {
  module?: string;
  output?: string;
  format?: 'json' | 'yaml';
  exportName?: string;
  help: boolean;
}

function parse(argv: string[]): OpenapiArgs {
  const args: OpenapiArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('-')) throw new CliError(`${a} needs a value\n\n${OPENAPI_USAGE}`, EXIT.usage);
      return next;
    };
    if (a === '-h' || a === '--help') args.help = true;
    else if (a === '-o' || a === '--output') args.output = value();
    else if (a.startsWith('--output=')) args.output = a.slice('--output='.length);
    else if (a === '--export') args.exportName = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'json' && f !== 'yaml') throw new CliError(`--format must be json or yaml, not "${f}"`, EXIT.usage);
      args.format = f;
    } else if (a.startsWith('-')) throw new CliError(`unknown option ${a}\n\n${OPENAPI_USAGE}`, EXIT.usage);
    else if (args.module === undefined) args.module = a;
    else throw new CliError(`unexpected argument ${a}\n\n${OPENAPI_USAGE}`, EXIT.usage);
  }
  return args;
}

function formatFor(args: OpenapiArgs): 'json' | 'yaml' {
  if (args.format) return args.format;
  if (args.output === undefined) return 'json';
  const ext = extname(args.output).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  throw new CliError(`cannot tell the format of ${args.output}: use .json, .yaml or .yml, or --format`, EXIT.usage);
}

/** Byte-stable text: the document's keys are already sorted; YAML never uses anchors. */
export async function serialise(document: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  let yaml: typeof import('yaml');
  try {
    yaml = await import('yaml');
  } catch {
    throw new CliError('writing YAML needs the yaml package: npm install -D yaml (or write .json)', EXIT.failed);
  }
  return yaml.stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/**
 * `fetch-batteries openapi <module> [-o file]`.
 * @example await openapiCommand(['examples/app/app.ts', '-o', 'openapi.yaml'], process.cwd())
 */
export async function openapiCommand(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const args = parse(argv);
  if (args.help) return { code: EXIT.ok, out: `${OPENAPI_USAGE}\n` };
  if (args.module === undefined) throw new CliError(`missing <module>\n\n${OPENAPI_USAGE}`, EXIT.usage);
  const format = formatFor(args);
  let note = '';
  if (env.ENVIRONMENT === undefined) {
    // the document needs no production secrets (DATABASE_URL, keys): build the app as in development
    env.ENVIRONMENT = 'DEVELOPMENT';
    note = 'ENVIRONMENT unset: building the app with ENVIRONMENT=DEVELOPMENT\n';
  }
  const app = await loadApp(args.module, cwd, args.exportName);
  let document: Record<string, unknown>;
  try {
    document = app.openapi();
  } catch (error) {
    throw new CliError(
      `the app could not build its OpenAPI document: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.failed,
    );
  } finally {
    await app.close?.().catch(() => undefined);
  }
  const text = await serialise(document, format);
  if (args.output === undefined) return { code: EXIT.ok, out: text, err: note };
  const file = resolve(cwd, args.output);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new CliError(`could not write ${args.output}: ${error instanceof Error ? error.message : String(error)}`, EXIT.failed);
  }
  const paths = Object.keys((document.paths as Record<string, unknown> | undefined) ?? {}).length;
  return { code: EXIT.ok, out: '', err: `${note}wrote ${args.output} (OpenAPI ${String(document.openapi)}, ${paths} paths)\n` };
}
