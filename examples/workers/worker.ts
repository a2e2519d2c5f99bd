// Cloudflare Workers (wrangler dev / deploy): bindings in wrangler.toml [vars] become the env.
import { createDemoApp } from '../app/index.ts';

export default createDemoApp();
