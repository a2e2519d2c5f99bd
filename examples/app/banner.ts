// The start-up lines the demo servers print on Node, Bun and Deno: where it listens and what to try.

/**
 * The demo listens on 127.0.0.1 unless HOST says otherwise: with ENVIRONMENT unset it runs with
 * development secrets that are public (they are in this repository), so it should not be
 * reachable from the network by default. HOST=0.0.0.0 exposes it.
 */
export const DEMO_HOST = '127.0.0.1';

/** Prints the address actually bound (a wildcard HOST is shown as such) and the commands to try. */
export function printBanner(runtime: string, decorators: string, hostname: string, server: { url: string; port: number }): void {
  const wildcard = hostname === '0.0.0.0' || hostname === '::';
  const bound = wildcard ? `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}` : server.url;
  const note = wildcard ? ` (every interface; from this machine ${server.url})` : '';
  console.log(`fetch-batteries demo (${runtime}, ${decorators} decorators) listening on ${bound}${note}`);
  console.log(`docs: ${server.url}/docs`);
  console.log(`try: curl -s ${server.url}/hello`);
  console.log(
    `     curl -s -X POST ${server.url}/patients -H 'content-type: application/json' -d '{"first_name":"Ada","last_name":"Lovelace"}'`,
  );
  console.log('     TOKEN=$(npm run -s token -- --scope read:patient)');
  console.log(`     curl -s -H "Authorization: Bearer $TOKEN" ${server.url}/secure/scoped`);
}
