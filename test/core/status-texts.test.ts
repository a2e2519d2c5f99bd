// The texts FastAPI answers an unknown path and a wrong method with, so a client or a dashboard
// matching them keeps working after the port.
import { describe, expect, it } from 'vitest';
import { Controller, Get, NotFoundError } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

@Controller('/texts')
class Texts {
  @Get('/item')
  item() {
    return { ok: true };
  }

  @Get('/missing')
  missing() {
    throw new NotFoundError();
  }
}

describe("FastAPI's 404 and 405 texts", () => {
  const app = testApp([Texts]);
  const answer = async (request: Request) => {
    const res = await app.fetch(request);
    return { status: res.status, body: await res.json() };
  };

  it('answers an unknown path 404 "Not Found"', async () => {
    expect(await answer(get('/texts/nowhere'))).toEqual({ status: 404, body: { message: 'Not Found' } });
  });

  it('answers a wrong method 405 "Method Not Allowed"', async () => {
    expect(await answer(get('/texts/item', { method: 'DELETE' }))).toEqual({ status: 405, body: { message: 'Method Not Allowed' } });
  });

  it('gives NotFoundError without a message the same text', async () => {
    expect(await answer(get('/texts/missing'))).toEqual({ status: 404, body: { message: 'Not Found' } });
  });
});
