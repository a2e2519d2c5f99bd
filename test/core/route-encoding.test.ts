import { describe, expect, it } from 'vitest';
import { Controller, Get, Param } from '../../src/index.ts';
import { get, testApp } from './helpers.ts';

// Templates with characters a URL always percent-encodes: a request path arrives encoded
@Controller('/')
class OddPathsController {
  @Get('/café')
  cafe() {
    return { route: 'café' };
  }

  @Get('/a b')
  spaced() {
    return { route: 'a b' };
  }

  @Get('/q"uote/:id', Param('id'))
  quoted(id: string) {
    return { route: 'q"uote', id };
  }

  @Get('/caf%C3%A9s')
  preEncoded() {
    return { route: 'written encoded' };
  }
}

describe('route templates with characters a URL percent-encodes', () => {
  const app = testApp([OddPathsController]);
  const body = async (path: string) => {
    const res = await app.fetch(get(path));
    return { status: res.status, body: await res.json() };
  };

  it('match the encoded request path (a Request built from /café carries /caf%C3%A9)', async () => {
    expect(await body('/café')).toEqual({ status: 200, body: { route: 'café' } });
    expect(await body('/caf%C3%A9')).toEqual({ status: 200, body: { route: 'café' } });
    expect(await body('/a%20b')).toEqual({ status: 200, body: { route: 'a b' } });
    expect(await body('/q%22uote/7')).toEqual({ status: 200, body: { route: 'q"uote', id: '7' } });
  });

  it('leave a template written encoded as it is', async () => {
    expect(await body('/cafés')).toEqual({ status: 200, body: { route: 'written encoded' } });
  });
});
