import { ENVIRONMENTS, environmentProblem } from '../kernel/config/env.ts';
import { mintInternalToken } from '../testing/jwt.ts';

export const TOKEN_USAGE = `Usage: fetch-batteries token [--scope <scope>]... [--sub <subject>] [--ttl <seconds>] [--metadata <json>]

Mints an internal (HS_KEY) JWT for local testing and prints it.

The demo (npm start, port 8080): in the repository, npm run token runs this command with the
demo's development settings:
  npm run -s token -- --scope read:patient
  curl -H "Authorization: Bearer $(npm run -s token -- --scope read:patient)" http://localhost:8080/secure/scoped

For your own service, give it the HS_KEY and PROXY_URL (or HS_ISSUER) the service runs with:
  ENVIRONMENT=DEVELOPMENT HS_KEY=dev-hs-key-not-for-production PROXY_URL=http://localhost:8080 \\
    npx fetch-batteries token --scope read:patient

Minting is refused when ENVIRONMENT is PRODUCTION or unset (unset means PRODUCTION); --help is not.

Options:
  --scope <s>      a scope to grant (repeat, or give a space/comma separated list)
  --sub <id>       the subject (default dev-user)
  --ttl <seconds>  lifetime in seconds, 1 to 315360000 (10 years; default 3600)
  --metadata <j>   a JSON object for the metadata claim (flattened into TokenData.claims)
  -h, --help       this text`;

/** Ten years in seconds: the longest `--ttl`. */
export const MAX_TTL = 10 * 365 * 24 * 60 * 60;

const fail = (code: number, message: string) => ({ code, out: `fetch-batteries token: ${message}` });

/**
 * The `fetch-batteries token` command: a development token from the local env. Pure: returns
 * the exit code and what to print.
 * @example const { code, out } = await tokenCommand(['--scope', 'read:patient'], process.env);
 */
export async function tokenCommand(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  // help explains how to get a token, so it answers wherever the command is asked (production included)
  if (argv.some((arg) => arg === '-h' || arg === '--help')) return { code: 0, out: `${TOKEN_USAGE}\n` };
  const environment = env.ENVIRONMENT;
  // any spelling of production is refused here, before the exact-spelling check below
  if (environment === undefined || environment.trim() === '' || environment.trim().toUpperCase() === 'PRODUCTION') {
    return fail(1, 'refused: ENVIRONMENT is PRODUCTION or unset (set ENVIRONMENT=DEVELOPMENT to mint local tokens)');
  }
  // the app refuses any other value (` DEVELOPMENT` too), so a token for it would be for nothing
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) return fail(1, `ENVIRONMENT ${environmentProblem(environment)}`);
  const scopes: string[] = [];
  let sub = 'dev-user';
  let ttl = 3600;
  let metadata: Record<string, unknown> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[++i];
    if (!['--scope', '--sub', '--ttl', '--metadata'].includes(flag)) return fail(2, `unknown option ${flag}\n\n${TOKEN_USAGE}`);
    if (value === undefined || value === '') return fail(2, `${flag} needs a value`);
    if (flag === '--scope') scopes.push(...value.split(/[\s,]+/).filter(Boolean));
    else if (flag === '--sub') sub = value;
    else if (flag === '--ttl') {
      // past 2^53 the exp claim would not be the number asked for; ten years is already more than any test needs
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TTL) {
        return fail(2, `--ttl must be a whole number of seconds from 1 to ${MAX_TTL} (10 years), not ${value}`);
      }
      ttl = Number(value);
    } else {
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
        metadata = parsed as Record<string, unknown>;
      } catch {
        return fail(2, '--metadata must be a JSON object');
      }
    }
  }
  const key = env.HS_KEY?.trim();
  if (!key) return fail(1, 'HS_KEY is not set');
  const proxy = env.PROXY_URL?.trim();
  const issuer = env.HS_ISSUER?.trim() || (proxy ? `${proxy.replace(/\/+$/, '')}/` : undefined);
  if (!issuer) return fail(1, 'set HS_ISSUER or PROXY_URL (the issuer the app expects)');
  // the app trims HS_KEY too: sign with what it will verify with
  const token = await mintInternalToken({ key, issuer, scopes, sub, expiresIn: ttl, metadata });
  return { code: 0, out: `${token}\n` };
}
