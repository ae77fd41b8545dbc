// The PostgreSQL store against the same contract as lowdb, plus what only a
// shared database has: migrations, and several store instances (as several API
// processes would hold) on one schema.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/store/pg/migrate.js';
import { MIGRATIONS, type Migration } from '../../server/store/pg/migrations.js';
import { featureLookups } from '../../server/features.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { StoreWriteError } from '../../server/store/store.js';
import { decide, describeStoreContract, purchaseEvent, shopFixture } from './contract.js';

describe.skipIf(NO_DATABASE)('PostgreSQL store', () => {
  afterAll(dropSchemas);

  describeStoreContract('PostgreSQL', () => {
    let url: Promise<string> | undefined;
    const schemaUrl = () => (url ??= freshSchema('contract').then((s) => s.url));
    return {
      create: async (options) => PgStore.open(await schemaUrl(), { lookups: featureLookups(), ...options }),
      reopen: async (options) => PgStore.open(await schemaUrl(), { lookups: featureLookups(), ...options }),
    };
  });
});

describe.skipIf(NO_DATABASE)('PostgreSQL migrations', () => {
  afterAll(dropSchemas);
  const pools: pg.Pool[] = [];
  afterAll(() => Promise.all(pools.map((p) => p.end())));
  const poolFor = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return pool;
  };
  const versions = async (pool: pg.Pool) => (await pool.query('SELECT version FROM kudos_migrations ORDER BY version')).rows.map((r) => r.version);

  it('applies each migration once when five instances start at the same moment', async () => {
    const { url } = await freshSchema('migrate');
    const extra: Migration = { version: MIGRATIONS.length + 1, name: 'a counter', sql: 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);' };
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(poolFor(url), [...MIGRATIONS, extra])));
    expect(results.flatMap((r) => r.applied)).toEqual([...MIGRATIONS.map((m) => m.version), extra.version]);
    expect(results.every((r) => r.version === extra.version)).toBe(true);
    const pool = poolFor(url);
    expect((await pool.query('SELECT n FROM counter')).rows).toEqual([{ n: 1 }]);
    expect(await versions(pool)).toEqual([...MIGRATIONS.map((m) => m.version), extra.version]);
  });

  it('applies nothing of a failing migration, and keeps the ones before it', async () => {
    const { url } = await freshSchema('migrate');
    const pool = poolFor(url);
    const broken: Migration = { version: 99, name: 'broken', sql: 'CREATE TABLE half (n int); SELECT no_such_function();' };
    await expect(migrate(pool, [...MIGRATIONS, broken])).rejects.toThrow(/migration 99 \(broken\) failed, nothing of it applied/);
    expect(await versions(pool)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await pool.query("SELECT to_regclass('half') AS t")).rows[0].t).toBeNull();
  });

  it('refuses a database migrated by a newer Kudos', async () => {
    const { url } = await freshSchema('migrate');
    const pool = poolFor(url);
    await migrate(pool, [...MIGRATIONS, { version: 50, name: 'from the future', sql: 'SELECT 1' }]);
    await expect(PgStore.open(url, { lookups: [] })).rejects.toThrow(/at migration 50, which this Kudos does not know/);
  });
});

describe.skipIf(NO_DATABASE)('PostgreSQL batches', () => {
  afterAll(dropSchemas);

  it('commits a batch as one transaction: a database failure in the middle records none of it, and a retry all of it', async () => {
    const { url } = await freshSchema('batch');
    const store = await PgStore.open(url, { lookups: featureLookups() });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await store.createShop(shopFixture(1));
      // The database refuses the write of one customer's record (as a full disk or a lost connection would, mid-batch).
      await admin.query(`
        CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
          IF NEW.customer_id = 'poison' AND NEW.data IS NOT NULL THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_poison BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
      const batch = [purchaseEvent('b1', 'c1'), purchaseEvent('b2', 'poison'), purchaseEvent('b3', 'c2')];
      await expect(store.recordEvents('shop_1', batch, decide)).rejects.toBeInstanceOf(StoreWriteError);
      expect(await store.listCustomers('shop_1')).toEqual([]);
      expect((await admin.query('SELECT count(*)::int AS n FROM processed_events')).rows[0].n).toBe(0);
      await admin.query('DROP TRIGGER refuse_poison ON customers');
      const retry = await store.recordEvents('shop_1', batch, decide);
      expect(retry.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    } finally {
      await admin.end();
      await store.close();
    }
  });
});
