// Cold start, fetch-batteries with one JWT route: as ours.ts, but the route needs a bearer token
// (HS256), so the first request verifies one and jose is loaded on the way. Prints the ms.
const secret = 'cold-start-secret-with-enough-entropy-0123';
const issuer = 'http://localhost/';
// the token is signed with WebCrypto before the clock starts: what is measured is the framework
const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const text = (s: string) => b64(new TextEncoder().encode(s));
const signingInput = `${text('{"alg":"HS256","typ":"JWT"}')}.${text(JSON.stringify({ iss: issuer, sub: 'user:1', exp: Math.floor(Date.now() / 1000) + 600 }))}`;
const hmac = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const token = `${signingInput}.${b64(new Uint8Array(await crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode(signingInput))))}`;

const c0 = process.cpuUsage();
const t0 = performance.now();
// COLD_ENTRY (bench/cold-start.ts --dist): the built package instead of the TypeScript source
const entry = process.env.COLD_ENTRY;
const { Controller, createApp, Get, Secured } = (
  entry ? await import(entry) : await import('../../src/index.ts')
) as typeof import('../../src/index.ts');
const t1 = performance.now();

class Hello {
  hello() {
    return { message: 'Hello, world' };
  }
}
// decorators applied by hand: this file runs unchanged on Node (tsx), Bun and Deno
const descriptor = Object.getOwnPropertyDescriptor(Hello.prototype, 'hello') as PropertyDescriptor;
Get('/hello')(Hello.prototype, 'hello', descriptor);
Secured()(Hello.prototype, 'hello', descriptor);
Controller('/')(Hello);
const app = createApp({
  env: { ENVIRONMENT: 'PRODUCTION', LOG_LEVEL: 'ERROR', HS_KEY: secret, HS_ISSUER: issuer },
  controllers: [Hello],
});
const res = await app.fetch(new Request('http://cold.test/hello', { headers: { authorization: `Bearer ${token}` } }));
await res.text();
const t2 = performance.now();
if (res.status !== 200) throw new Error(`status ${res.status}`);
const cpu = process.cpuUsage(c0);
// CPU time is steadier than wall time on a shared machine
console.log(JSON.stringify({ import: t1 - t0, total: t2 - t0, cpu: (cpu.user + cpu.system) / 1000 }));

// a module, so its top-level names stay its own
export {};
