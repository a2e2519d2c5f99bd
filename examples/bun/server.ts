// bun examples/bun/server.ts: PORT (default 8080), HOST. Bun reads the decorator mode from ./tsconfig.json
// (legacy here); bun --tsconfig-override=tsconfig.standard.json examples/bun/server.ts builds the standard one.
import { serve } from '../../src/adapters/bun.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
// opens the database and runs migrations before listening; drains and closes the app on SIGTERM/SIGINT
const server = await serve(app, { port: Number(process.env.PORT ?? 8080), hostname: process.env.HOST ?? '0.0.0.0' });
console.log(`fetch-batteries demo (bun, ${DECORATORS} decorators) listening on ${server.url}`);
console.log(`docs: ${server.url}/docs`);
