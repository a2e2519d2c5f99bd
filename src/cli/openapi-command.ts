import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { format } from 'node:util';
import { isProductionValue } from '../kernel/config/env.ts';
import { CliError, EXIT, loadApp } from './load-app.ts';

export const OPENAPI_USAGE = `Usage: fetch-batteries openapi <module> [-o <file.json|file.yaml>] [--format json|yaml] [--export <name>]

Writes the OpenAPI 3.1 document of the app that <module> exports (default export, \`app\`,
or a create...App() factory). Without -o it prints JSON (or --format yaml) to stdout.
When ENVIRONMENT is unset the app is built with ENVIRONMENT=DEVELOPMENT; outside production,
unset security variables (ACCEPTED_API_KEY, HS_KEY, ...) get throw-away placeholder values,
since the document does not depend on them. Anything the module prints goes to stderr.`;

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

const has = (env: Record<string, string | undefined>, name: string) => (env[name]?.trim() ?? '') !== '';

// blank counts as unset, which the app reads as PRODUCTION; so does any value that is not exactly
// a non-production one (the app refuses `staging`, and no placeholder is filled for it)
const isProduction = (env: Record<string, string | undefined>) => isProductionValue(env.ENVIRONMENT);

/**
 * Fills what the security battery requires with random values, outside production only: the
 * document depends on the routes, never on key values, so the running app serves the same one.
 * Returns the names it set.
 */
export function placeholderSecrets(env: Record<string, string | undefined>): string[] {
  if (isProduction(env)) return [];
  const filled: string[] = [];
  // random, so an app module that also starts a server never answers to a guessable key
  const fill = (name: string, value = `openapi-placeholder-${randomUUID()}`) => {
    env[name] = value;
    filled.push(name);
  };
  if (!has(env, 'ACCEPTED_API_KEY')) fill('ACCEPTED_API_KEY');
  const provider = has(env, 'AUTH_PROVIDER_DOMAIN') || has(env, 'AUTH_PROVIDER_ISSUER');
  if (!has(env, 'HS_KEY') && !provider && !has(env, 'AUTH_PROVIDER_CUSTOM_DOMAIN')) fill('HS_KEY');
  // the custom login domain's tokens are checked against HS_ISSUER too
  const needsHsIssuer = has(env, 'HS_KEY') || has(env, 'AUTH_PROVIDER_CUSTOM_DOMAIN');
  if (needsHsIssuer && !has(env, 'HS_ISSUER') && !has(env, 'PROXY_URL')) fill('HS_ISSUER', 'https://openapi-placeholder.invalid/');
  if (provider && !has(env, 'AUTH_PROVIDER_AUDIENCE')) fill('AUTH_PROVIDER_AUDIENCE');
  if (has(env, 'AUTH_PROVIDER_CUSTOM_DOMAIN') && !has(env, 'AUTH_PROVIDER_HS_KEY')) fill('AUTH_PROVIDER_HS_KEY');
  return filled;
}

/**
 * Sends what the module writes to stdout (console.log/info/debug, process.stdout.write) to
 * stderr, so `openapi app.ts > openapi.json` stays valid JSON. Returns the undo.
 */
function stdoutToStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug, write: process.stdout.write };
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return () => {
    console.log = saved.log;
    console.info = saved.info;
    console.debug = saved.debug;
    process.stdout.write = saved.write;
  };
}

/**
 * `fetch-batteries openapi <module> [-o file]`. Changes to `env` (ENVIRONMENT, placeholders)
 * last only while the app is loaded and its document built.
 * @example await openapiCommand(['examples/app/app.ts', '-o', 'openapi.yaml'], process.cwd())
 */
export async function openapiCommand(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const args = parse(argv);
  if (args.help) return { code: EXIT.ok, out: `${OPENAPI_USAGE}\n` };
  if (args.module === undefined) throw new CliError(`missing <module>\n\n${OPENAPI_USAGE}`, EXIT.usage);
  const outputFormat = formatFor(args);
  const saved = new Map(Object.entries(env));
  let note = '';
  if (env.ENVIRONMENT === undefined) {
    // the document needs no production secrets (DATABASE_URL, keys): build the app as in development
    env.ENVIRONMENT = 'DEVELOPMENT';
    note = 'ENVIRONMENT unset: building the app with ENVIRONMENT=DEVELOPMENT\n';
  }
  const filled = placeholderSecrets(env);
  if (filled.length > 0) note += `placeholder values for unset ${filled.join(', ')} (the document does not depend on them)\n`;
  const restoreStdout = stdoutToStderr();
  let document: Record<string, unknown>;
  try {
    const app = await loadApp(args.module, cwd, args.exportName);
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
  } catch (error) {
    if (error instanceof CliError && /Invalid configuration/.test(error.message) && isProduction(env)) {
      error.message +=
        '\n(with ENVIRONMENT=PRODUCTION the CLI fills in no placeholder values: set the variables, or leave ENVIRONMENT unset)';
    }
    throw error;
  } finally {
    restoreStdout();
    for (const name of Object.keys(env)) if (!saved.has(name)) delete env[name];
    for (const [name, value] of saved) env[name] = value;
  }
  const text = await serialise(document, outputFormat);
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
