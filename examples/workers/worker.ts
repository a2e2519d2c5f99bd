// Cloudflare Workers (npx wrangler dev / deploy): wrangler.toml's [vars] and .dev.vars (or secrets)
// become the env, validated on the first request. The database is Neon's serverless driver, one
// pool per request; the first database request of each isolate applies the demo's migrations.
import { createDemoApp } from '../app/index.ts';

export default createDemoApp();
