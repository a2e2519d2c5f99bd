// deno run -A --config deno.json examples/deno/server.ts (or `deno task start`)
import { createDemoApp } from '../app/index.ts';

// The Deno global, typed just enough for this file (the repo type-checks with Node's types).
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { port: number; hostname?: string }, handler: (request: Request, info: unknown) => Promise<Response>): unknown;
};

const app = createDemoApp();
Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8080), hostname: Deno.env.get('HOST') ?? '0.0.0.0' }, app.fetch);
