// A repeated query argument: Starlette's query_params.get, which the Python argument_present
// read, gives the last value, so only the last one counts.
import { describe, expect, it } from 'vitest';
import { bearer, req, secureApp } from './helpers.ts';
import { ClinicianController, internal } from './python-parity-app.ts';

describe("argument_present('compact', 'true') with a repeated ?compact", () => {
  const { app } = secureApp([ClinicianController]);

  it.each([
    ['compact=true&compact=false', 403],
    ['compact=false&compact=true', 200],
    ['compact=TRUE&compact=no&compact=True', 200],
    ['compact=true&compact=', 403],
  ])('?%s answers %i: the last value decides', async (query, status) => {
    expect((await app.fetch(req(`/clinician/compact?${query}`, bearer(await internal())))).status).toBe(status);
  });
});

describe("argument_present(name, '') as the Python package read it", () => {
  it("holds when the argument is missing or empty (Python's query_params.get(name, default='')), not when it has a value", async () => {
    const { argument_present } = await import('../../src/index.ts');
    const rule = argument_present('a', '');
    const env = (query: Record<string, string>) => ({ query }) as unknown as Parameters<typeof rule>[0];
    expect([rule(env({})), rule(env({ a: '' })), rule(env({ a: 'x' }))]).toEqual([true, true, false]);
    // presence only (no value) still needs the argument
    expect(argument_present('a')(env({}))).toBe(false);
  });
});
