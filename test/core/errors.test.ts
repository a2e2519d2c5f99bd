import { describe, expect, it } from 'vitest';
import {
  AuthMissingError,
  BadRequestError,
  Controller,
  DuplicateResourceError,
  ForbiddenError,
  Get,
  HttpError,
  NotFoundError,
  NotImplementedError,
  Param,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../../src/index.ts';
import { get, quietLogger, testApp } from './helpers.ts';

class PaymentRequired extends Error {}
class VeryPaymentRequired extends PaymentRequired {}

const thrown: Record<string, () => unknown> = {
  bad: () => new BadRequestError('page must be positive'),
  auth: () => new AuthMissingError('No API key supplied'),
  forbidden: () => new ForbiddenError(),
  missing: () => new NotFoundError('Patient 1 not found'),
  dup: () => new DuplicateResourceError('Patient already exists'),
  invalid: () => new UnprocessableEntityError('Invalid', [{ path: ['body', 'a'], message: 'no' }]),
  todo: () => new NotImplementedError(),
  down: () => new ServiceUnavailableError('Database connection failed: Service unavailable'),
  type: () => new TypeError('cannot read x of undefined at /srv/app.js:1'),
  string: () => 'a thrown string',
  payment: () => new VeryPaymentRequired('card declined'),
};

@Controller('/throw')
class ThrowController {
  @Get('/:kind')
  throwIt(@Param('kind') kind: string) {
    throw thrown[kind]();
  }

  @Get('/async/:kind')
  async throwAsync(@Param('kind') kind: string) {
    await Promise.resolve();
    throw thrown[kind]();
  }
}

describe('errors', () => {
  const app = testApp([ThrowController]);

  it.each([
    ['bad', 400, { message: 'page must be positive' }],
    ['auth', 401, { message: 'No API key supplied' }],
    ['forbidden', 403, { message: 'Forbidden' }],
    ['missing', 404, { message: 'Patient 1 not found' }],
    ['dup', 409, { message: 'Patient already exists' }],
    ['invalid', 422, { message: 'Invalid', issues: [{ path: ['body', 'a'], message: 'no' }] }],
    ['todo', 501, { message: 'Not implemented' }],
    ['down', 503, { message: 'Database connection failed: Service unavailable' }],
  ])('maps %s to %i with a {"message"} body', async (kind, status, body) => {
    for (const path of [`/throw/${kind}`, `/throw/async/${kind}`]) {
      const res = await app.fetch(get(path));
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual(body);
    }
  });

  it('answers exactly {"message":"Internal server error"} in production, and logs the stack', async () => {
    const logger = quietLogger();
    const prod = testApp([ThrowController], { logger }, { ENVIRONMENT: 'PRODUCTION' });
    const res = await prod.fetch(get('/throw/type'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal server error"}');
    const logged = logger.lines.find((l) => l.level === 'error');
    expect(String(logged?.fields?.stack)).toContain('TypeError');
  });

  it('shows the type and message but never the stack outside production', async () => {
    const res = await app.fetch(get('/throw/type'));
    const body = await res.json();
    expect(body).toEqual({ message: 'TypeError: cannot read x of undefined at /srv/app.js:1' });
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
    expect((await (await app.fetch(get('/throw/string'))).json()).message).toBe('Error: a thrown string');
  });

  it("switches to RFC 9457 problem+json with errorFormat: 'problem'", async () => {
    const problem = testApp([ThrowController], { errorFormat: 'problem' });
    const res = await problem.fetch(get('/throw/missing'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Patient 1 not found',
      code: 'NOT_FOUND',
    });
  });

  it('app.onError maps a class and its subclasses', async () => {
    const custom = testApp([ThrowController]);
    custom.onError(PaymentRequired, (e) => new HttpError(402, `Payment required: ${e.message}`, 'PAYMENT'));
    const res = await custom.fetch(get('/throw/payment'));
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({ message: 'Payment required: card declined' });
  });

  it('an onError handler may return its own Response', async () => {
    const custom = testApp([ThrowController]);
    custom.onError(TypeError, () => new Response('teapot', { status: 418 }));
    const res = await custom.fetch(get('/throw/type'));
    expect(res.status).toBe(418);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('an onError handler that throws is answered as an internal error', async () => {
    const custom = testApp([ThrowController], {}, { ENVIRONMENT: 'PRODUCTION' });
    custom.onError(TypeError, () => {
      throw new Error('handler broke');
    });
    const res = await custom.fetch(get('/throw/type'));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });

  it('shows the handler phase in Server-Timing when the handler throws or rejects', async () => {
    for (const path of ['/throw/missing', '/throw/async/missing']) {
      const res = await app.fetch(get(path));
      expect(res.status).toBe(404);
      expect(res.headers.get('server-timing')).toMatch(/^total;dur=[\d.]+, handler;dur=[\d.]+$/);
    }
  });

  it('never rejects, even when the error is not an Error', async () => {
    await expect(app.fetch(get('/throw/string'))).resolves.toBeInstanceOf(Response);
  });
});
