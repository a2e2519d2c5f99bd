import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get } from '../../src/index.ts';

// HEAD drops the body; without a Content-Length of its own, Bun and Deno send `content-length: 0`
// for the empty one, which RFC 9110 forbids unless GET's body is empty too.
describe('a binary body of known length', () => {
  it('carries Content-Length on GET and the same on HEAD', async () => {
    @Controller('/')
    class Files {
      @Get('/bytes')
      bytes() {
        return new Uint8Array([1, 2, 3, 4, 5]);
      }
      @Get('/blob')
      blob() {
        return new Blob(['héllo'], { type: 'text/plain' });
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, controllers: [Files] });
    for (const [path, length] of [
      ['/bytes', '5'],
      ['/blob', '6'],
    ]) {
      const get = await app.fetch(new Request(`http://h${path}`));
      expect([path, get.headers.get('content-length'), (await get.arrayBuffer()).byteLength]).toEqual([path, length, Number(length)]);
      const head = await app.fetch(new Request(`http://h${path}`, { method: 'HEAD' }));
      expect([path, head.headers.get('content-length'), await head.text()]).toEqual([path, length, '']);
    }
  });
});
