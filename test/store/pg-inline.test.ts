// Statements the PostgreSQL store sends with their values written in (server/store/pg/inline.ts),
// so that several travel in one round trip: PostgreSQL must read each value exactly as it
// reads the same value passed as a parameter, whatever the text holds.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inline, literal } from '../../server/store/pg/inline.js';
import { NO_DATABASE, TEST_DATABASE_URL } from '../helpers/pg.js';

describe('inline SQL values', () => {
  it('writes numbers, booleans, NULL and arrays as constants, a negative one in parentheses', () => {
    expect(inline('SELECT $1, $2, $3, $4', [12, -5, true, null])).toBe('SELECT 12, (-5), true, NULL');
    expect(literal([])).toBe('ARRAY[]');
    expect(literal(['a', null])).toBe("ARRAY[E'a',NULL]");
    expect(() => inline('SELECT $2', [1])).toThrow(/no parameter \$2/);
    expect(() => literal(Number.NaN)).toThrow(/finite/);
  });
});

describe.skipIf(NO_DATABASE)('inline SQL values in PostgreSQL', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  const tricky = [
    '',
    "it's",
    "''; DROP TABLE x; --",
    'back\\slash \\\\ and \\\' quote',
    '"double" {braces}, commas',
    'NULL',
    '$1 $2 dollar $$ quoted $$',
    'ünïcødé ✓ 🙂 \u2028',
    'new\nline\ttab',
    JSON.stringify({ a: 'x"y', b: "it's", c: 'back\\slash', d: [1, null, { e: '}' }] }),
  ];
  const sql = 'SELECT $1::text AS s, $2::text[] AS a, $3::bigint AS n, $4::bool[] AS b, 1 - $5::int AS d, $6::int[] AS i, $7::text[] AS e';

  for (const conforming of ['on', 'off']) {
    it(`reads every value as the same parameter would (standard_conforming_strings ${conforming})`, async () => {
      await client.query(`SET standard_conforming_strings = ${conforming}`);
      for (const text of tricky) {
        const params = [text, [...tricky, null], 1796415724657, [true, false, null], -3, [-1, 0, 2], []];
        const expected = (await client.query(sql, params)).rows;
        const written = (await client.query(inline(sql, params))).rows;
        expect(written).toEqual(expected);
        expect(written[0].s).toBe(text);
        expect(written[0].d).toBe(4);
      }
    });
  }
});
