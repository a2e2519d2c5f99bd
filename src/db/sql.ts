import { QueryError } from './errors.ts';

/** One piece of a statement: literal SQL text, a bound value, or a nested fragment. */
type Part = { kind: 'text'; text: string } | { kind: 'value'; value: unknown } | { kind: 'sql'; sql: Sql };

/** A compiled statement, ready for a driver: `$1, $2...` placeholders and their values. */
export interface CompiledQuery {
  text: string;
  values: unknown[];
}

/**
 * A composable SQL fragment built by the {@link sql} tag. Interpolated values are always bound
 * as parameters; identifiers go through `sql.id`, trusted text through `sql.unsafe`.
 */
export class Sql {
  readonly parts: readonly Part[];

  constructor(parts: readonly Part[]) {
    this.parts = parts;
  }

  /** `$n` placeholders numbered across every nested fragment. */
  compile(): CompiledQuery {
    const values: unknown[] = [];
    const text = render(this, values);
    return { text, values };
  }
}

function render(fragment: Sql, values: unknown[]): string {
  let out = '';
  for (const part of fragment.parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'sql') out += render(part.sql, values);
    else {
      values.push(part.value);
      out += `$${values.length}`;
    }
  }
  return out;
}

/** Double-quotes one identifier part; a NUL can never be part of an identifier. */
function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) throw new TypeError('sql.id: invalid identifier');
  return `"${name.replace(/"/g, '""')}"`;
}

function tag(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts: Part[] = [];
  for (let i = 0; i < strings.length; i++) {
    if (strings[i] !== '') parts.push({ kind: 'text', text: strings[i] });
    if (i < values.length) {
      const value = values[i];
      parts.push(value instanceof Sql ? { kind: 'sql', sql: value } : { kind: 'value', value });
    }
  }
  return new Sql(parts);
}

/**
 * Tagged template for SQL: every `${value}` becomes a bound parameter (`$1`), so user input
 * never reaches the SQL text. Fragments nest and compose.
 * @example
 * const byName = sql`last_name = ${name}`;
 * await db.many(sql`select * from ${sql.id('patient')} where ${byName} limit ${10}`);
 */
/** The `sql` tag and its helpers (an explicit type keeps the published API fast to type-check). */
export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): Sql;
  id(...names: string[]): Sql;
  join(items: readonly unknown[], separator?: string): Sql;
  unsafe(text: string): Sql;
  readonly empty: Sql;
}

export const sql: SqlTag = Object.assign(tag, {
  /** A quoted identifier; several parts join with dots (`sql.id('public', 'patient')` -> `"public"."patient"`). */
  id(...names: string[]): Sql {
    if (names.length === 0) throw new TypeError('sql.id: at least one name is required');
    return new Sql([{ kind: 'text', text: names.map(quoteIdent).join('.') }]);
  },
  /** Fragments (or values, which are bound) joined by a separator, default `, `. */
  join(items: readonly unknown[], separator = ', '): Sql {
    const parts: Part[] = [];
    items.forEach((item, i) => {
      if (i > 0) parts.push({ kind: 'text', text: separator });
      parts.push(item instanceof Sql ? { kind: 'sql', sql: item } : { kind: 'value', value: item });
    });
    return new Sql(parts);
  },
  /** Trusted SQL text inserted verbatim. Never pass user input here. */
  unsafe(text: string): Sql {
    return new Sql([{ kind: 'text', text }]);
  },
  /** An empty fragment, handy for optional clauses. */
  empty: new Sql([]),
});

/**
 * A plain object binds as its JSON text on every driver (node-postgres does so itself, PGlite would
 * bind `[object Object]`); arrays stay PostgreSQL arrays, Dates and byte arrays keep their own binding.
 */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The most values one statement can bind: the wire protocol counts them in 16 bits. */
export const MAX_PARAMETERS = 65_535;

/** Normalises `query(text, params)` and `query(sql\`...\`)` into text plus values. */
export function toQuery(query: string | Sql, params?: readonly unknown[]): CompiledQuery {
  let compiled: CompiledQuery;
  if (query instanceof Sql) {
    if (params !== undefined && params.length > 0) throw new TypeError('Pass values inside the sql`` template, not as a second argument');
    compiled = query.compile();
  } else {
    if (typeof query !== 'string') throw new TypeError('query expects SQL text or an sql`` fragment');
    compiled = { text: query, values: params === undefined ? [] : [...params] };
  }
  if (compiled.values.length > MAX_PARAMETERS) {
    // sent anyway, the count wraps around and the server answers a confusing protocol violation
    const reason = new RangeError(
      `Too many parameters: ${compiled.values.length} values bound, PostgreSQL takes at most ${MAX_PARAMETERS} (bind a long list as one array: = any(\${ids}))`,
    );
    throw new QueryError(undefined, reason);
  }
  const values = compiled.values;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'object' && value !== null && isPlainObject(value)) values[i] = JSON.stringify(value);
  }
  return compiled;
}
