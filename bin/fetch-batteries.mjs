#!/usr/bin/env node
// The `fetch-batteries` command. The CLI and the app modules it loads are TypeScript: tsx's
// loader compiles them on the fly (decorator settings come from the tsconfig.json in the cwd).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const write = (stream, text) => new Promise((done) => (text ? stream.write(text, done) : done()));
const argv = process.argv.slice(2);

// `npx fetch-batteries init` runs before any project (or its tsx) exists: the published package
// carries the command compiled, which needs no TypeScript loader.
// A git checkout runs its sources instead: a dist/ left by an earlier `npm pack` may be stale.
const compiledInit = new URL('../dist/cli/init.js', import.meta.url);
const checkout = existsSync(new URL('../.git', import.meta.url));
if (argv[0] === 'init' && existsSync(compiledInit) && !checkout) {
  const { initCommand } = await import(compiledInit.href);
  const { code, out, err } = await initCommand(argv.slice(1), process.cwd());
  await write(process.stdout, out);
  await write(process.stderr, err);
  process.exit(code);
}

let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  // a source checkout (no dist/, or a git clone) gets tsx from its own devDependencies; an
  // installed package from the project that installed it
  const fix =
    checkout || !existsSync(compiledInit)
      ? `run npm install in ${fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')} (this checkout) first`
      : 'npm install -D tsx';
  process.stderr.write(`fetch-batteries: the CLI needs tsx to load TypeScript: ${fix}\n`);
  process.exit(1);
}
register();
const { main } = await import('../src/cli/main.ts');
const { code, out, err } = await main(argv, process.env, process.cwd());

await write(process.stdout, out);
await write(process.stderr, err);
// the app may keep handles open (pools, timers): the document is written, so leave now
process.exit(code);
