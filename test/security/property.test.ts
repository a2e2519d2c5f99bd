import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Controller, Get, Scopes } from '../../src/index.ts';
import { mintInternalToken } from '../../src/testing/index.ts';
import { bearer, HS_ISSUER, HS_KEY, req, secureApp } from './helpers.ts';

@Controller('/p')
class PropertyController {
  @Get('/')
  @Scopes('read:patient')
  get() {
    return { ok: true };
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('mutated valid tokens', () => {
  it('never get 200 or 500 (property)', async () => {
    const { app } = secureApp([PropertyController]);
    const valid = await mintInternalToken({ key: HS_KEY, issuer: HS_ISSUER, scopes: ['read:patient'] });
    expect((await app.fetch(req('/p/', bearer(valid)))).status).toBe(200);

    const mutation = fc.oneof(
      // replace one character with another base64url character or a stray one
      fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        ch: fc.oneof(fc.constantFrom(...B64URL.split('')), fc.constantFrom('.', '=', '+', '/', '%', ' ', '\u00e9')),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 6 }) }),
      fc.record({ kind: fc.constant('swap-segments' as const), a: fc.nat(2), b: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let t = valid;
        if (m.kind === 'replace') {
          const i = m.at % t.length;
          if (t[i] === m.ch) return;
          t = t.slice(0, i) + m.ch + t.slice(i + 1);
        } else if (m.kind === 'delete') {
          const i = m.at % t.length;
          t = t.slice(0, i) + t.slice(i + m.len);
        } else if (m.kind === 'insert') {
          const i = m.at % (t.length + 1);
          t = t.slice(0, i) + m.text + t.slice(i);
        } else {
          const parts = t.split('.');
          if (m.a === m.b || parts[m.a] === parts[m.b]) return;
          [parts[m.a], parts[m.b]] = [parts[m.b], parts[m.a]];
          t = parts.join('.');
        }
        if (t === valid) return;
        let request: Request;
        try {
          request = req('/p/', bearer(t));
        } catch {
          return; // not even a valid header value: never reaches the app
        }
        const res = await app.fetch(request);
        // a mutation inside the last base64url character's padding bits can leave the signature bytes unchanged
        if (res.status === 200) expect(decodesSame(t, valid)).toBe(true);
        expect(res.status).not.toBe(500);
        expect([200, 401, 403]).toContain(res.status);
      }),
      { numRuns: 400 },
    );
  });
});

/** Whether two tokens decode to the same bytes (base64url allows more than one spelling of the last character). */
function decodesSame(a: string, b: string): boolean {
  const bytes = (t: string) =>
    t
      .trim()
      .split('.')
      .map((s) => {
        try {
          return atob(s.replace(/-/g, '+').replace(/_/g, '/'));
        } catch {
          return `!${s}`;
        }
      })
      .join('.');
  return bytes(a) === bytes(b);
}
