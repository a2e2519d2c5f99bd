// bun examples/bun/server.ts: PORT (default 8080), HOST (default 127.0.0.1). Bun reads the decorator mode from ./tsconfig.json
// (legacy here); bun --tsconfig-override=tsconfig.standard.json examples/bun/server.ts builds the standard one.
import { serve } from '../../src/adapters/bun.ts';
import { DEMO_HOST, printBanner } from '../app/banner.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
// opens the database and runs migrations before listening; drains and closes the app on SIGTERM/SIGINT
// 127.0.0.1 by default: the development secrets the demo fills in are public; HOST=0.0.0.0 exposes it
const hostname = process.env.HOST ?? DEMO_HOST;
const server = await serve(app, { port: process.env.PORT, hostname });
printBanner('bun', DECORATORS, hostname, server);
