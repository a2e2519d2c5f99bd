// The demo service as one module with an `app` export: what `fetch-batteries openapi` loads.
// npx fetch-batteries openapi examples/app/app.ts -o openapi.yaml
import { DEV_DEFAULTS } from './dev-env.ts';
import { createDemoApp } from './index.ts';

// Outside a deployment (the CLI builds as DEVELOPMENT) the demo's development settings fill any
// gap, so writing the document never needs real secrets; a set variable always wins.
const env = process.env;
if (env.ENVIRONMENT === undefined || env.ENVIRONMENT === 'DEVELOPMENT') {
  for (const [name, value] of Object.entries(DEV_DEFAULTS)) env[name] ??= value;
}

export const app = createDemoApp();
export default app;
