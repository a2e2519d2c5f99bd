// `npm start`: the demo service on Node. PORT (default 8080), HOST (default 0.0.0.0).
import { serve } from '../../src/adapters/node.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

const app = createDemoApp();
// serve() opens the database and runs migrations before listening, serves Swagger UI's files
// from node_modules (an offline /docs) and drains, then closes the app, on SIGTERM/SIGINT
const server = await serve(app, { port: Number(process.env.PORT ?? 8080), hostname: process.env.HOST ?? '0.0.0.0' });
console.log(`fetch-batteries demo (node, ${DECORATORS} decorators) listening on ${server.url}`);
console.log(`docs: ${server.url}/docs`);
console.log(`try: curl -s ${server.url}/hello`);
console.log(
  `     curl -s -X POST ${server.url}/patients -H 'content-type: application/json' -d '{"first_name":"Ada","last_name":"Lovelace"}'`,
);
