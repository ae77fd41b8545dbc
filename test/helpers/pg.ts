// PostgreSQL for tests: KUDOS_TEST_DATABASE_URL names a database the tests may
// create schemas in (see docs/operations-postgres.md). Each store a test opens
// lives in a schema of its own, so test files never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.KUDOS_TEST_DATABASE_URL || undefined;
/** For describe.skipIf: the PostgreSQL suites need a database. */
export const NO_DATABASE = TEST_DATABASE_URL === undefined;

/** The same database with `schema` first on the search path. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

const created: string[] = [];

/** A new empty schema; its URL opens a store there. */
export async function freshSchema(label = 't'): Promise<{ schema: string; url: string }> {
  const schema = `kudos_${label.replace(/\W/g, '_')}_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  created.push(schema);
  return { schema, url: withSchema(TEST_DATABASE_URL!, schema) };
}

/** Drops the schemas this test file made. */
export async function dropSchemas(): Promise<void> {
  if (created.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const schema of created.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
