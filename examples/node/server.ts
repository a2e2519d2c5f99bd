// `npm start`: the demo service on Node. PORT (default 8080), HOST (default 0.0.0.0).
import { LOCAL_DOCS_ASSETS, serve, withDocsAssets } from '../../src/adapters/node.ts';
import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);

// Swagger UI from node_modules, so /docs works offline
const app = createDemoApp({ docs: { assetsUrl: LOCAL_DOCS_ASSETS } });
// open the embedded database (and run migrations) before the first request rather than during it
await app.db?.ping();
const server = await serve(withDocsAssets(app), { port: Number(process.env.PORT ?? 8080), hostname: process.env.HOST ?? '0.0.0.0' });
console.log(`fetch-batteries demo (${DECORATORS} decorators) listening on ${server.url}`);
console.log(`docs: ${server.url}/docs`);
console.log(`try: curl -s ${server.url}/hello`);
console.log(
  `     curl -s -X POST ${server.url}/patients -H 'content-type: application/json' -d '{"first_name":"Ada","last_name":"Lovelace"}'`,
);
