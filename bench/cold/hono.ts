// Cold start, Hono: import, build an app with the same route, answer the first request. Prints the ms.
const c0 = process.cpuUsage();
const t0 = performance.now();
const { Hono } = await import('hono');
const t1 = performance.now();
const app = new Hono();
app.get('/hello', (c) => c.json({ message: 'Hello, world' }));
const res = await app.fetch(new Request('http://cold.test/hello'));
await res.text();
const t2 = performance.now();
if (res.status !== 200) throw new Error(`status ${res.status}`);
const cpu = process.cpuUsage(c0);
// CPU time is steadier than wall time on a shared machine
console.log(JSON.stringify({ import: t1 - t0, total: t2 - t0, cpu: (cpu.user + cpu.system) / 1000 }));

// a module, so its top-level names stay its own
export {};
