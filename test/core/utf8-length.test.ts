import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/kernel/respond.ts';

// utf8Length feeds the request log's responseSize: it must say what Content-Length would.
describe('utf8Length', () => {
  it('equals the UTF-8 byte length of any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => utf8Length(s) === Buffer.byteLength(s)),
      { numRuns: 2000 },
    );
  });

  it('counts long texts (the encodeInto path) exactly, with a surrogate pair across its buffer boundary', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1025, maxLength: 40_000 }), (s) => utf8Length(s) === Buffer.byteLength(s)),
      { numRuns: 200 },
    );
    const split = `${'a'.repeat(16 * 1024 - 1)}${'😀'.repeat(5000)}\ud800`;
    expect(utf8Length(split)).toBe(Buffer.byteLength(split));
  });
});
