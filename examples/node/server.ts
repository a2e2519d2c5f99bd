// `npm start`: the demo service on Node. PORT (default 8080), HOST (default 127.0.0.1).
import { serve } from '../../src/adapters/node.ts';
import { DEMO_HOST, printBanner } from '../app/banner.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
// serve() opens the database and runs migrations before listening, serves Swagger UI's files
// from node_modules (an offline /docs) and drains, then closes the app, on SIGTERM/SIGINT
// 127.0.0.1 by default: the development secrets the demo fills in are public; HOST=0.0.0.0 exposes it
const hostname = process.env.HOST ?? DEMO_HOST;
const server = await serve(app, { port: process.env.PORT, hostname });
printBanner('node', DECORATORS, hostname, server);
