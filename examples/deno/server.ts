// deno task start (or npx deno task start): PORT (default 8080), HOST (default 127.0.0.1). The task is `env deno run ...`: see docs/runtimes.md.
// deno run -A --config deno.standard.json examples/deno/server.ts: the same with standard decorators.
import { serve } from '../../src/adapters/deno.ts';
import { DEMO_HOST, printBanner } from '../app/banner.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

// The Deno global, typed just enough for this file (the repo type-checks with Node's types).
declare const Deno: {
  env: { get(name: string): string | undefined; set(name: string, value: string): void; toObject(): Record<string, string> };
};

const env: Record<string, string | undefined> = Deno.env.toObject();
const defaults = developmentDefaults(env);
for (const entry of defaults) Deno.env.set(entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1));
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
// opens the database and runs migrations before listening; drains and closes the app on SIGTERM/SIGINT
// 127.0.0.1 by default: the development secrets the demo fills in are public; HOST=0.0.0.0 exposes it
const hostname = Deno.env.get('HOST') ?? DEMO_HOST;
const server = await serve(app, { port: Deno.env.get('PORT'), hostname });
printBanner('deno', DECORATORS, hostname, server);
