import { describe, expect, it } from 'vitest';
import { Scopes, scopes_present } from '../../src/index.ts';

// A token's scope claim is space-separated: a required scope 'a b' could never be held, so every
// request to the route was a 403 with nothing said at start-up.
describe('a required scope with whitespace', () => {
  it('@Scopes refuses it where it is written, naming the list to write', () => {
    expect(() => Scopes('read:a read:b')).toThrow(
      "@Scopes('read:a read:b'): a scope has no whitespace; list each scope on its own: @Scopes('read:a', 'read:b')",
    );
  });

  it('scopes_present refuses it too; single scopes are still fine', () => {
    expect(() => scopes_present('read:a', ['x y'])).toThrow("scopes_present('x y'): a scope has no whitespace");
    expect(typeof scopes_present('read:a', ['read:b'])).toBe('function');
    expect(typeof Scopes('read:a', 'read:b')).toBe('function');
  });
});
