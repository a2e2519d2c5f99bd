// bun examples/bun/server.ts: Bun serves the default export. It reads the decorator mode from
// ./tsconfig.json (legacy here); bun --tsconfig-override=tsconfig.standard.json builds the standard one.

import { developmentDefaults } from '../app/dev-env.ts';
import { createDemoApp } from '../app/index.ts';
import { DECORATORS } from '../app/mode.ts';

const defaults = developmentDefaults(process.env);
if (defaults.length > 0) console.log(`ENVIRONMENT unset: development defaults ${defaults.join(', ')}`);
const app = createDemoApp();
const port = Number(process.env.PORT ?? 8080);
console.log(`fetch-batteries demo (bun, ${DECORATORS} decorators) listening on http://127.0.0.1:${port}`);

// development: false, so Bun never answers with its own error page.
export default { port, hostname: process.env.HOST ?? '0.0.0.0', development: false, fetch: app.fetch };
