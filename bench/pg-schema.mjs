// A throwaway PostgreSQL schema for a bench: its own tables on the database it is given
// (KUDOS_TEST_DATABASE_URL), so runs never meet each other's data; dropped when it ends.
import pg from 'pg';

/** Creates the schema `<prefix>_<now>`; resolves its name, a URL whose search_path is it, and drop(). */
export async function benchSchema(databaseUrl, prefix) {
  const schema = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const drop = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
  return { schema, url, drop };
}
