import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Controller, Get, key_present, type Rule, Secured } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

const sign = (secret: Uint8Array, iss: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setExpirationTime('5m').sign(secret);

@Controller('/')
class Batch {
  @Get('/batch')
  @Secured(undefined, { issuers: ['batch'] })
  batch() {
    return { ok: true };
  }
}

@Controller('/')
class Open {
  @Get('/open')
  @Secured()
  open() {
    return { ok: true };
  }
}

describe('an issuer in code with a Uint8Array secret', () => {
  it('keeps its own copy: zeroing the caller buffer after createApp forges nothing', async () => {
    const buffer = new TextEncoder().encode('batch-secret-0123456789abcdef0123');
    const real = await sign(buffer.slice(), 'urn:batch');
    const { app } = secureApp([Batch], {}, { jwt: { issuers: [{ name: 'batch', issuer: 'urn:batch', secret: buffer }] } });
    await app.ready();
    buffer.fill(0);
    const forged = await sign(new Uint8Array(buffer.length), 'urn:batch');
    expect((await app.fetch(req('/batch', bearer(forged)))).status).toBe(403);
    expect((await app.fetch(req('/batch', bearer(real)))).status).toBe(200);
  });
});

describe('issuer names', () => {
  it('a name taken by another issuer (an env one, or another in code) is refused at createApp', () => {
    const partner = { name: 'internal', issuer: 'urn:partner', secret: 'partner-secret-0123456789abcdef012' };
    expect(() => secureApp([Open], {}, { jwt: { issuers: [partner] } })).toThrow(
      `issuer name internal: already the name of ${HS_ISSUER}; give urn:partner another (jwt)`,
    );
    const twice = [
      { name: 'x', issuer: 'urn:a', secret: 'a-secret-0123456789abcdef0123456789' },
      { name: 'x', issuer: 'urn:b', secret: 'b-secret-0123456789abcdef0123456789' },
    ];
    expect(() => secureApp([Open], {}, { jwt: { issuers: twice } })).toThrow('issuer name x: already the name of urn:a');
  });
});

describe('stacked @Secured rules', () => {
  it('a class rule or a method rule that returns no boolean fails the request (403), even with IGNORE_JWT_VALIDATION', async () => {
    const forgot = (() => undefined) as unknown as Rule;
    @Controller('/b')
    @Secured(forgot)
    class ClassBroken {
      @Get('/x')
      @Secured(key_present('sub'))
      x() {
        return { ok: true };
      }
    }
    @Controller('/c')
    @Secured(key_present('sub'))
    class MethodBroken {
      @Get('/x')
      @Secured(forgot)
      x() {
        return { ok: true };
      }
    }
    const { app, logger } = secureApp([ClassBroken, MethodBroken], { IGNORE_JWT_VALIDATION: 'true' });
    const token = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, sub: 'u-1' });
    expect([(await app.fetch(req('/b/x', bearer(token)))).status, (await app.fetch(req('/c/x', bearer(token)))).status]).toEqual([
      403, 403,
    ]);
    expect(logger.lines.filter((l) => l.message === 'security rule failed').map((l) => String(l.fields?.error))).toEqual([
      expect.stringMatching(/returned undefined, not a boolean/),
      expect.stringMatching(/returned undefined, not a boolean/),
    ]);
  });
});

describe('the algorithm named in a refused token', () => {
  it('is cut to 32 characters in the log line', async () => {
    const { app, logger } = secureApp([Open]);
    const header = btoa(JSON.stringify({ alg: 'X'.repeat(5000) })).replace(/=+$/, '');
    const payload = btoa(JSON.stringify({ iss: HS_ISSUER, exp: Math.floor(Date.now() / 1000) + 60 })).replace(/=+$/, '');
    expect((await app.fetch(req('/open', bearer(`${header}.${payload}.sig`)))).status).toBe(403);
    const reason = String(logger.lines.find((l) => l.message === 'Access attempted with invalid JWT')?.fields?.reason);
    expect(reason).toBe(`algorithm ${'X'.repeat(32)} not allowed for issuer internal`);
  });
});
