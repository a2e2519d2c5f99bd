import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, HttpError } from '../../src/index.ts';

// RFC 9457's title summarises the status: a code outside the short list used to be titled "Error".
describe('problem+json titles', () => {
  it('names 429 and 418 by their reason phrases, and an unlisted code by its class', async () => {
    @Controller('/')
    class Limits {
      @Get('/slow')
      slow() {
        throw new HttpError(429, 'Slow down', 'RATE_LIMITED');
      }
      @Get('/teapot')
      teapot() {
        throw new HttpError(418, 'Short and stout', 'TEAPOT');
      }
      @Get('/odd')
      odd() {
        throw new HttpError(499, 'Odd', 'ODD');
      }
    }
    const app = createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, errorFormat: 'problem', controllers: [Limits] });
    const title = async (path: string) => ((await (await app.fetch(new Request(`http://h${path}`))).json()) as { title: string }).title;
    expect([await title('/slow'), await title('/teapot'), await title('/odd')]).toEqual([
      'Too Many Requests',
      "I'm a teapot",
      'Client Error',
    ]);
  });
});
