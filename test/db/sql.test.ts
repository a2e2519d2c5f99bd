import { describe, expect, it } from 'vitest';
import { sql } from '../../src/index.ts';

describe('sql``', () => {
  it('binds every interpolated value as a numbered parameter', () => {
    const name = "Robert'); drop table patient;--";
    expect(sql`select * from patient where last_name = ${name} and age > ${30}`.compile()).toEqual({
      text: 'select * from patient where last_name = $1 and age > $2',
      values: [name, 30],
    });
  });

  it('composes fragments, numbering parameters across them', () => {
    const filter = sql`last_name = ${'Lovelace'}`;
    const page = sql`limit ${10} offset ${20}`;
    expect(sql`select 1 from patient where ${filter} and first_name = ${'Ada'} ${page}`.compile()).toEqual({
      text: 'select 1 from patient where last_name = $1 and first_name = $2 limit $3 offset $4',
      values: ['Lovelace', 'Ada', 10, 20],
    });
  });

  it('quotes identifiers only through sql.id, doubling embedded quotes', () => {
    expect(sql`select * from ${sql.id('public', 'we"ird')}`.compile().text).toBe('select * from "public"."we""ird"');
    expect(() => sql.id('')).toThrow(TypeError);
    expect(() => sql.id('a\0b')).toThrow(TypeError);
  });

  it('joins values and fragments; sql.empty adds nothing', () => {
    expect(sql`where id in (${sql.join([1, 2, 3])})${sql.empty}`.compile()).toEqual({
      text: 'where id in ($1, $2, $3)',
      values: [1, 2, 3],
    });
    expect(sql.join([sql`a = ${1}`, sql`b = ${2}`], ' and ').compile()).toEqual({ text: 'a = $1 and b = $2', values: [1, 2] });
  });
});
