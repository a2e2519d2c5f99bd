import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/index.ts';

// A wrapper object that forgot one of the two methods was refused as a misspelt option
// ('unknown option "database.transaction"'), which sent users looking for an option name.
describe('createApp({ database }) with half a Database', () => {
  it('names the missing method', () => {
    const make = (database: object) => () => createApp({ env: { ENVIRONMENT: 'DEVELOPMENT' }, testing: true, database: database as never });
    expect(make({ transaction() {} })).toThrow(
      'createApp({ database }): a Database needs both query() and transaction(); this one has no query()',
    );
    expect(make({ query() {} })).toThrow('this one has no transaction()');
    // a misspelt option is still named as one
    expect(make({ migration: [] })).toThrow('unknown option "database.migration"');
  });
});
