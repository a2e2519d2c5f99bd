// Each no-cache header is added when the response lacks it, whatever the others say: the Python
// package's add_no_cache_headers set Cache-Control, Pragma and Expires independently.
import { describe, expect, it } from 'vitest';
import { Controller, Get, HttpError } from '../../src/index.ts';
import { get, obsApp } from './helpers.ts';

class Conflict extends HttpError {
  constructor() {
    super(409, 'conflict', 'CONFLICT');
  }
}

@Controller('/nc')
class NoCacheController {
  @Get('/cache-control')
  cacheControl() {
    return new Response('{}', { headers: { 'cache-control': 'max-age=60', 'content-type': 'application/json' } });
  }
  @Get('/expires')
  expires() {
    return new Response('{}', { headers: { expires: 'Wed, 21 Oct 2099 07:28:00 GMT' } });
  }
  @Get('/pragma')
  pragma() {
    return new Response('{}', { headers: { pragma: 'x-custom' } });
  }
  @Get('/all')
  all() {
    return new Response('{}', { headers: { 'cache-control': 'private', pragma: 'x-custom', expires: 'Thu, 01 Jan 2099 00:00:00 GMT' } });
  }
  @Get('/error')
  error() {
    throw new Conflict();
  }
}

const { app } = obsApp([NoCacheController]);
const cacheHeaders = async (path: string) => {
  const res = await app.fetch(get(path));
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    pragma: res.headers.get('pragma'),
    expires: res.headers.get('expires'),
  };
};

describe('no-cache headers, each added only when absent', () => {
  it("adds Pragma and Expires beside a handler's own Cache-Control", async () => {
    expect(await cacheHeaders('/nc/cache-control')).toEqual({ status: 200, cacheControl: 'max-age=60', pragma: 'no-cache', expires: '0' });
  });

  it("keeps a handler's own Expires and adds the other two", async () => {
    expect(await cacheHeaders('/nc/expires')).toEqual({
      status: 200,
      cacheControl: 'no-cache, must-revalidate',
      pragma: 'no-cache',
      expires: 'Wed, 21 Oct 2099 07:28:00 GMT',
    });
  });

  it("keeps a handler's own Pragma and adds the other two", async () => {
    expect(await cacheHeaders('/nc/pragma')).toEqual({
      status: 200,
      cacheControl: 'no-cache, must-revalidate',
      pragma: 'x-custom',
      expires: '0',
    });
  });

  it('changes none of the three when the handler set them all', async () => {
    expect(await cacheHeaders('/nc/all')).toEqual({
      status: 200,
      cacheControl: 'private',
      pragma: 'x-custom',
      expires: 'Thu, 01 Jan 2099 00:00:00 GMT',
    });
  });

  it('sets all three on a returned value and on an error', async () => {
    const all = { cacheControl: 'no-cache, must-revalidate', pragma: 'no-cache', expires: '0' };
    expect(await cacheHeaders('/nc/error')).toEqual({ status: 409, ...all });
    expect(await cacheHeaders('/nc/nowhere')).toEqual({ status: 404, ...all });
  });
});
