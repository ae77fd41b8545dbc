// Parameters written into a statement's text, for the statements the PostgreSQL store
// sends together in one message (the simple query protocol: several statements, one
// round trip, no parameters). On this driver every round trip costs the process a
// socket write and a wake-up whatever it carries (issue 15: ~150 µs of CPU each, more
// than the work of a single event), and a group commit's last writes and its COMMIT,
// or its BEGIN, badge read and claim, need nothing from each other's answers.
//
// Values are written as PostgreSQL reads them in a parameter's place: strings as
// escape-string constants (E'…', the same whatever standard_conforming_strings says),
// arrays as ARRAY[…] of constants, which the statement casts as it did its parameter
// ($3::text[] becomes ARRAY[E'a',E'b']::text[]: every array parameter must be cast).
// Only statements whose text holds no quoted $n of their own are given to inline().

/** A value a statement may be given inline: what the store passes as parameters. */
export type InlineValue = string | number | boolean | null | undefined | readonly (string | number | boolean | null | undefined)[];

/** `text` as an escape-string constant: backslashes and quotes doubled. */
export function escapeString(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`inline SQL: not a finite number: ${value}`);
  return String(value);
}

/** A value as a constant of the statement's text. */
export function literal(value: InlineValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // In parentheses when negative: after a minus sign, "-5" would start a comment ("x - $2").
  if (typeof value === 'number') return value < 0 ? `(${numberText(value)})` : numberText(value);
  if (typeof value === 'string') return escapeString(value);
  // An array constructor of constants, not an array constant ('{…}'): JSON documents, full
  // of double quotes, are escaped once rather than twice. The statement's cast types it
  // ($3::text[] becomes ARRAY[…]::text[]; an empty one needs it).
  if (Array.isArray(value)) return `ARRAY[${value.map((v) => literal(v)).join(',')}]`;
  throw new TypeError(`inline SQL: cannot write a ${typeof value} inline`);
}

/** `sql` with each $n replaced by the constant of `params[n - 1]`. */
export function inline(sql: string, params: readonly InlineValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RangeError(`inline SQL: no parameter $${n}`);
    return literal(params[i]);
  });
}
