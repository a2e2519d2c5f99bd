// Cold start, fetch-batteries: import the package, build an app with one controller (every battery
// on, no database; LOG_LEVEL ERROR, so no request line is written), answer the first request. Prints the ms.
const c0 = process.cpuUsage();
const t0 = performance.now();
// COLD_ENTRY (bench/cold-start.ts --dist): the built package instead of the TypeScript source
const entry = process.env.COLD_ENTRY;
const { Controller, createApp, Get } = (
  entry ? await import(entry) : await import('../../src/index.ts')
) as typeof import('../../src/index.ts');
const t1 = performance.now();

class Hello {
  hello() {
    return { message: 'Hello, world' };
  }
}
// decorators applied by hand: this file runs unchanged on Node (tsx), Bun and Deno
Get('/hello')(Hello.prototype, 'hello', Object.getOwnPropertyDescriptor(Hello.prototype, 'hello') as PropertyDescriptor);
Controller('/')(Hello);
const app = createApp({ env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'ERROR' }, controllers: [Hello] });
const res = await app.fetch(new Request('http://cold.test/hello'));
await res.text();
const t2 = performance.now();
if (res.status !== 200) throw new Error(`status ${res.status}`);
const cpu = process.cpuUsage(c0);
// CPU time is steadier than wall time on a shared machine
console.log(JSON.stringify({ import: t1 - t0, total: t2 - t0, cpu: (cpu.user + cpu.system) / 1000 }));

// a module, so its top-level names stay its own
export {};
