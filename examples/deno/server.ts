// deno task start (deno run -A --config deno.json examples/deno/server.ts): PORT (default 8080), HOST.
// deno run -A --config deno.standard.json examples/deno/server.ts: the same with standard decorators.
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

// The Deno global, typed just enough for this file (the repo type-checks with Node's types).
declare const Deno: {
  env: { get(name: string): string | undefined; set(name: string, value: string): void; toObject(): Record<string, string> };
  serve(options: { port: number; hostname?: string }, handler: (request: Request, info: unknown) => Promise<Response>): unknown;
};

const env: Record<string, string | undefined> = Deno.env.toObject();
const defaults = developmentDefaults(env);
for (const entry of defaults) Deno.env.set(entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1));
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
console.log(`fetch-batteries demo (deno, ${DECORATORS} decorators)`);
Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8080), hostname: Deno.env.get('HOST') ?? '0.0.0.0' }, app.fetch);
