// Applies the numbered migrations a database has not seen yet, each in its own
// transaction with its version recorded in the same commit. Several instances
// starting at once queue on a PostgreSQL advisory lock: the first migrates, the
// others then find nothing left to do. A database migrated by a newer Kudos (a
// version this one does not know) is refused rather than used.
import pg from 'pg';
import { MIGRATIONS, type Migration } from './migrations.js';

/** Arbitrary, fixed: "kudos" in ASCII; the second key is the schema, so schemas migrate independently. */
const LOCK_CLASS = 0x6b75646f;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** The database's version afterwards. */
  version: number;
}

export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [LOCK_CLASS]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS kudos_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM kudos_migrations ORDER BY version');
      const known = new Map(migrations.map((m) => [m.version, m]));
      for (const row of rows) {
        const migration = known.get(row.version);
        if (!migration) {
          throw new MigrationError(
            `the database is at migration ${row.version}, which this Kudos does not know: it was migrated by a newer version. Upgrade Kudos instead.`,
          );
        }
        if (migration.name !== row.name) {
          throw new MigrationError(`migration ${row.version} in the database is "${row.name}", here it is "${migration.name}": refusing to guess.`);
        }
      }
      const done = new Set(rows.map((r) => r.version));
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO kudos_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new MigrationError(`migration ${migration.version} (${migration.name}) failed, nothing of it applied: ${(error as Error).message}`);
        }
        applied.push(migration.version);
      }
      const version = Math.max(0, ...rows.map((r) => r.version), ...applied);
      return { applied, version };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [LOCK_CLASS]);
    }
  } finally {
    client.release();
  }
}

/** Opens a short-lived pool on `url`, migrates, closes. */
export async function migrateDatabase(url: string): Promise<MigrateResult> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await migrate(pool);
  } finally {
    await pool.end();
  }
}
