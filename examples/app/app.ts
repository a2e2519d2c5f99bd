// The demo service as one module with an `app` export: what `fetch-batteries openapi` loads.
// npx fetch-batteries openapi examples/app/app.ts -o openapi.yaml
import { createDemoApp } from './index.ts';

export const app = createDemoApp();
export default app;
