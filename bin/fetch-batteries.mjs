#!/usr/bin/env node
// The `fetch-batteries` command. The CLI and the app modules it loads are TypeScript: tsx's
// loader compiles them on the fly (decorator settings come from the tsconfig.json in the cwd).
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write('fetch-batteries: the CLI needs tsx to load TypeScript: npm install -D tsx\n');
  process.exit(1);
}
register();
const { main } = await import('../src/cli/main.ts');
const { code, out, err } = await main(process.argv.slice(2), process.env, process.cwd());

const write = (stream, text) => new Promise((done) => (text ? stream.write(text, done) : done()));
await write(process.stdout, out);
await write(process.stderr, err);
// the app may keep handles open (pools, timers): the document is written, so leave now
process.exit(code);
