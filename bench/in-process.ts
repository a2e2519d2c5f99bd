/**
 * In-process ns/op of one scenario's targets on whichever runtime runs this file (Node, Bun or
 * Deno): `bun bench/in-process.ts bench/scenarios/running.ts 200000` prints one JSON object,
 * target name -> ns per request (build the Request, `await target.fetch(request)`, read the body),
 * the median of 5 interleaved rounds after a warm-up. bench/run.ts runs it on each runtime, Node
 * from its build (bench/node-build.ts).
 */
import { inProcessHeaders, type Scenario } from './scenario.ts';

const [scenarioFile, iterations = '200000', only] = process.argv.slice(2);
const ROUNDS = 5;
// an absolute path is a built scenario (bench/node-build.ts), else a bench/ path from the root
const scenarioUrl = scenarioFile.startsWith('/') ? `file://${scenarioFile}` : new URL(`../${scenarioFile}`, import.meta.url).href;
const scenario = (await import(scenarioUrl)).default as Scenario;
const keep = only?.split(',');
const all = await scenario.targets();
const targets = all.filter((t) => !keep || keep.some((k) => t.name.startsWith(k)));
const r = scenario.request;
const url = `http://bench.local${r.path}`;
const make = () => new Request(url, { method: r.method, headers: inProcessHeaders(r), body: r.body });
const per = Math.max(1, Math.floor(Number(iterations) / ROUNDS));
const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
for (const t of targets) {
  const res = await t.fetch(make());
  if (res.status !== scenario.expectStatus) throw new Error(`${t.name} answered ${res.status}`);
  for (let i = 0; i < Math.min(per, 20_000); i++) await (await t.fetch(make())).arrayBuffer();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const t of targets) {
    const start = performance.now();
    for (let i = 0; i < per; i++) await (await t.fetch(make())).arrayBuffer();
    samples.get(t.name)?.push(((performance.now() - start) * 1e6) / per);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// what building the Request alone costs here (it is in every ns/op above); the key is REQUEST_COST in measure-in-process.ts
for (let i = 0; i < 20_000; i++) make();
const buildStart = performance.now();
for (let i = 0; i < per; i++) make();
samples.set('(building the Request)', [((performance.now() - buildStart) * 1e6) / per]);
// every target built, kept or not: an unclosed pino destination throws at exit
await Promise.all(all.map((t) => t.close?.()));
process.stdout.write(`${JSON.stringify(Object.fromEntries([...samples].map(([n, s]) => [n, Math.round(median(s))])))}\n`);
process.exit(0);
