// The PostgreSQL store against the same contract as lowdb, plus what only a
// shared database has: migrations, and several store instances (as several API
// processes would hold) on one schema.
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../server/store/pg/migrate.js';
import { MIGRATIONS, type Migration } from '../../server/store/pg/migrations.js';
import { featureDocuments } from '../../server/features.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { FOLLOW_UPS } from '../../server/events/after-record.js';
import { FOLLOW_UPS_BY_EVENT } from '../../server/events/lookups.js';
import { SERVER_WARM_CONNECTIONS } from '../../server/store/create-store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { EventConflict, StoreWriteError } from '../../server/store/store.js';
import { decide, describeStoreContract, purchaseEvent, shopFixture } from './contract.js';

describe.skipIf(NO_DATABASE)('PostgreSQL store', () => {
  afterAll(dropSchemas);

  describeStoreContract('PostgreSQL', () => {
    let url: Promise<string> | undefined;
    const schemaUrl = () => (url ??= freshSchema('contract').then((s) => s.url));
    return {
      create: async (options) => PgStore.open(await schemaUrl(), { ...featureDocuments(), ...options }),
      reopen: async (options) => PgStore.open(await schemaUrl(), { ...featureDocuments(), ...options }),
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

  it('compresses customer records and documents with lz4 where the server has it (migration 12)', async () => {
    const { url } = await freshSchema('migrate');
    const pool = poolFor(url);
    await migrate(pool, MIGRATIONS);
    const lz4 = (await pool.query("SELECT 'lz4' = ANY (enumvals) AS on FROM pg_settings WHERE name = 'default_toast_compression'")).rows[0].on;
    const compression = async (table: string) =>
      (await pool.query(`SELECT attcompression AS c FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'data'`, [table])).rows[0].c;
    expect(await compression('customers')).toBe(lz4 ? 'l' : '');
    expect(await compression('documents')).toBe(lz4 ? 'l' : '');
    if (!lz4) return;
    // A big record is stored compressed, with lz4.
    const orders = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`o${i}`, { total: 12.5, currency: 'EUR', at: new Date(1.7e12 + i * 3.6e6).toISOString() }]));
    await pool.query(`INSERT INTO customers (shop_id, customer_id, data) VALUES ('s', 'c', $1::json)`, [JSON.stringify({ customerId: 'c', orders })]);
    expect((await pool.query(`SELECT pg_column_compression(data) AS c FROM customers WHERE customer_id = 'c'`)).rows[0].c).toBe('lz4');
  });

  it('refuses a database migrated by a newer Kudos', async () => {
    const { url } = await freshSchema('migrate');
    const pool = poolFor(url);
    await migrate(pool, [...MIGRATIONS, { version: 50, name: 'from the future', sql: 'SELECT 1' }]);
    await expect(PgStore.open(url, { collections: [], lookups: [] })).rejects.toThrow(/at migration 50, which this Kudos does not know/);
  });
});

describe.skipIf(NO_DATABASE)('PostgreSQL batches', () => {
  afterAll(dropSchemas);

  it('commits a batch as one transaction: a database failure in the middle records none of it, and a retry all of it', async () => {
    const { url } = await freshSchema('batch');
    const store = await PgStore.open(url, { ...featureDocuments() });
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

describe.skipIf(NO_DATABASE)('PostgreSQL group commit', () => {
  afterAll(dropSchemas);
  // Events the API records carry their content's fingerprint (another content under a known id is a conflict).
  const single = (id: string, customerId: string, fingerprint = `content of ${id}`) => [{ ...purchaseEvent(id, customerId), fingerprint }];
  /** Transactions that committed these ids (rows written by one transaction share its xmin). */
  const commitsOf = async (admin: pg.Pool, ids: string[]) =>
    (await admin.query('SELECT count(DISTINCT xmin::text)::int AS n FROM processed_events WHERE event_id = ANY($1)', [ids])).rows[0].n as number;

  it('coalesces concurrent single events of two customers into shared commits, each stored once with its own answer', async () => {
    const { url } = await freshSchema('group');
    const store = await PgStore.open(url, { ...featureDocuments() });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await store.createShop(shopFixture(1));
      const ids = Array.from({ length: 40 }, (_, i) => `g${i}`);
      const customerOf = (i: number) => (i % 2 ? 'c1' : 'c2');
      // Every event sent twice at once (a client retrying before its first answer): one of the two records it.
      const calls = [...ids, ...ids].map((id, n) => store.recordEvents('shop_1', single(id, customerOf(n % 40)), decide));
      const answers = (await Promise.all(calls)).map(([o]) => o!);
      answers.forEach((o, n) => expect(o.id).toBe(ids[n % 40]));
      for (const id of ids) expect(answers.filter((o) => o.id === id).map((o) => o.status).sort()).toEqual(['accepted', 'duplicate']);
      for (const customerId of ['c1', 'c2']) expect(Object.keys((await store.getCustomer('shop_1', customerId))!.orders ?? {})).toHaveLength(20);
      expect((await admin.query('SELECT count(*)::int AS n FROM processed_events')).rows[0].n).toBe(40);
      // 80 calls, far fewer commits: they were written together.
      expect(await commitsOf(admin, ids)).toBeLessThan(40);
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('fails only the call that fails in a coalesced group: a reused id, a rule refusal, a database error', async () => {
    const { url } = await freshSchema('group_fail');
    const store = await PgStore.open(url, { ...featureDocuments() });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await store.createShop(shopFixture(1));
      const refusing: typeof decide = (customer, event, badges) => {
        if (event.id === 'r2') throw new Error('too few points');
        return decide(customer, event, badges);
      };
      // The first call is written alone; the ones arriving meanwhile queue and go as one group.
      const lead = store.recordEvents('shop_1', single('lead', 'c1'), decide);
      const good = Array.from({ length: 10 }, (_, i) => store.recordEvents('shop_1', single(`ok${i}`, i % 2 ? 'c1' : 'c2'), decide));
      const conflicting = store.recordEvents('shop_1', single('ok3', 'c2', 'another content'), decide);
      const refused = store.recordEvents('shop_1', [purchaseEvent('r1', 'c3'), purchaseEvent('r2', 'c3'), purchaseEvent('r3', 'c3')], refusing);
      const more = Array.from({ length: 10 }, (_, i) => store.recordEvents('shop_1', single(`ok${10 + i}`, i % 2 ? 'c1' : 'c2'), decide));
      await lead;
      await expect(conflicting).rejects.toBeInstanceOf(EventConflict);
      await expect(refused).rejects.toThrow('too few points');
      const okIds = Array.from({ length: 20 }, (_, i) => `ok${i}`);
      for (const [o] of await Promise.all([...good, ...more])) expect(o!.status).toBe('accepted');
      expect((await store.getCustomer('shop_1', 'c3'))!.orders).toHaveProperty('o-r1');
      expect((await store.getCustomer('shop_1', 'c3'))!.orders).not.toHaveProperty('o-r2');
      // The refused event and the one after it were given back: sent again, they are new.
      expect((await store.recordEvents('shop_1', [purchaseEvent('r2', 'c3'), purchaseEvent('r3', 'c3')], decide)).map((o) => o.status)).toEqual([
        'accepted',
        'accepted',
      ]);
      // The others' events were committed together, the failures notwithstanding.
      expect(await commitsOf(admin, okIds)).toBeLessThan(20);

      // A database error (here a trigger refusing one customer's write) fails the whole
      // transaction: the group is written again call by call, and only that call fails.
      await admin.query(`
        CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
          IF NEW.customer_id = 'poison' AND NEW.data IS NOT NULL THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_poison BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
      const lead2 = store.recordEvents('shop_1', single('lead2', 'c1'), decide);
      const before = Array.from({ length: 5 }, (_, i) => store.recordEvents('shop_1', single(`p${i}`, 'c1'), decide));
      const poisoned = store.recordEvents('shop_1', single('poisoned', 'poison'), decide);
      const after = Array.from({ length: 5 }, (_, i) => store.recordEvents('shop_1', single(`q${i}`, 'c2'), decide));
      await lead2;
      await expect(poisoned).rejects.toBeInstanceOf(StoreWriteError);
      for (const [o] of await Promise.all([...before, ...after])) expect(o!.status).toBe('accepted');
      const stored = (await admin.query('SELECT event_id FROM processed_events WHERE event_id ~ $1 ORDER BY event_id', ['^(p|q|poisoned)'])).rows.map((r) => r.event_id);
      expect(stored).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'q0', 'q1', 'q2', 'q3', 'q4']);
      expect(Object.keys((await store.getCustomer('shop_1', 'c1'))!.orders ?? {})).toEqual(expect.arrayContaining(['o-p0', 'o-p4', 'o-lead2']));
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('writes a group in two round trips, its follow-up documents and settled ones included (issue 15: each costs the process more than an event\'s work)', async () => {
    const { url } = await freshSchema('group_trips');
    const store = await PgStore.open(url, { ...featureDocuments(), readCache: false });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const followUp = (id: string) => () => ({ ref: { collection: FOLLOW_UPS, id }, value: { keys: [id], at: '2026-01-01T00:00:00.000Z' } });
    const query = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await store.createShop(shopFixture(1));
      await store.recordEvents('shop_1', single('t0', 'c1'), decide, undefined, followUp('f0'));
      store.deleteDocumentsLater('shop_1', [{ collection: FOLLOW_UPS, id: 'f0' }]);
      query.mockClear();
      // The first call is a group alone; the nine arriving meanwhile are the next one.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.recordEvents('shop_1', single(`t${i + 1}`, i % 2 ? 'c1' : 'c2'), decide, undefined, followUp(`f${i + 1}`))),
      );
      const trips = query.mock.calls.length;
      query.mockRestore();
      for (const [o] of answers) expect(o!.status).toBe('accepted');
      expect(await commitsOf(admin, Array.from({ length: 10 }, (_, i) => `t${i + 1}`))).toBe(2);
      // BEGIN, the badges and the claim; the records, outcomes, documents (the settled one's lock and deletion) and COMMIT.
      expect(trips).toBe(4);
      const { rows } = await admin.query('SELECT id FROM documents ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `f${i + 1}`).sort());
    } finally {
      query.mockRestore();
      await admin.end();
      await store.close();
    }
  });

  it('opens its first connections at start-up and keeps them while idle: a first request does not open a backend per query', async () => {
    const { url } = await freshSchema('warm');
    const store = await PgStore.open(url, { ...featureDocuments(), readCache: false, warmConnections: SERVER_WARM_CONNECTIONS });
    try {
      expect(store.pool.totalCount).toBe(SERVER_WARM_CONNECTIONS);
      expect(store.pool.idleCount).toBe(SERVER_WARM_CONNECTIONS);
      // Kept while idle: pg-pool closes idle connections only above min.
      expect((store.pool as unknown as { options: { min: number } }).options.min).toBe(SERVER_WARM_CONNECTIONS);
    } finally {
      await store.close();
    }
  });

  it('never deadlocks when two instances delete the same finished documents named in opposite orders', async () => {
    // Two instances may both forget the same follow-ups (one took over the other's lease):
    // neither deletion may fail (a failed one in a group commit fails that group's events).
    const { url } = await freshSchema('group_settle_order');
    const documents = featureDocuments();
    const options = { ...documents, collections: [...documents.collections, 'notes'] };
    const [a, b] = [await PgStore.open(url, options), await PgStore.open(url, options)];
    const ref = (id: string) => ({ collection: 'notes', id });
    try {
      await a.createShop(shopFixture(1));
      // Enough other documents that PostgreSQL finds the named ones through the index, in the
      // order named (before the fix: 'deadlock detected' in the first rounds).
      const filler = Array.from({ length: 2000 }, (_, i) => ref(`filler-${i}`));
      await a.updateDocuments('shop_1', filler, () => ({ values: filler.map((r) => ({ id: r.id })), result: undefined }));
      const admin = new pg.Pool({ connectionString: url, max: 1 });
      await admin.query('ANALYZE documents');
      await admin.end();
      for (let round = 0; round < 10; round++) {
        const refs = Array.from({ length: 400 }, (_, i) => ref(`r${round}-${String(i).padStart(3, "0")}`));
        await a.updateDocuments('shop_1', refs, () => ({ values: refs.map((r) => ({ id: r.id })), result: undefined }));
        a.deleteDocumentsLater('shop_1', refs);
        b.deleteDocumentsLater('shop_1', [...refs].reverse());
        // The deletion a store commits on its own when no events come (its timer, 250 ms
        // after deleteDocumentsLater), started by both at once: their DELETEs overlap.
        const flush = (s: PgStore) => (s as unknown as { flushSettled(): Promise<void> }).flushSettled();
        const outcomes = await Promise.allSettled([flush(a), flush(b)]);
        expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason?.cause ?? o.reason) : 'ok'))).toEqual(['ok', 'ok']);
        for (const r of [refs[0]!, refs[399]!]) expect(await a.getDocument('shop_1', r)).toBeUndefined();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes a follow-up document and its lookup keys in the events\' commit, also over an earlier one of the same id and the settled one it replaces', async () => {
    const { url } = await freshSchema('group_keys');
    const store = await PgStore.open(url, { ...featureDocuments() });
    const ref = { collection: FOLLOW_UPS, id: 'pending-1' };
    const followUp = (keys: string[]) => () => ({ ref, value: { keys, at: '2026-01-01T00:00:00.000Z' } });
    const keysOf = async () => (await store.findDocuments(FOLLOW_UPS_BY_EVENT, { shopId: 'shop_1', upTo: '\uffff' })).map((d) => d.key).sort();
    try {
      await store.createShop(shopFixture(1));
      await store.recordEvents('shop_1', single('k1', 'c1'), decide, undefined, followUp(['a', 'b']));
      expect(await keysOf()).toEqual(['a', 'b']);
      // Written again: one key kept, one gone, one new.
      await store.recordEvents('shop_1', single('k2', 'c1'), decide, undefined, followUp(['b', 'c']));
      expect(await keysOf()).toEqual(['b', 'c']);
      // Settled and written again in the same commit: replaced, keys and all.
      store.deleteDocumentsLater('shop_1', [ref]);
      await store.recordEvents('shop_1', single('k3', 'c1'), decide, undefined, followUp(['c', 'd']));
      expect(await keysOf()).toEqual(['c', 'd']);
      expect(await store.getDocument('shop_1', ref)).toEqual({ keys: ['c', 'd'], at: '2026-01-01T00:00:00.000Z' });
      // Settled alone: the document and its keys go.
      store.deleteDocumentsLater('shop_1', [ref]);
      await store.recordEvents('shop_1', single('k4', 'c1'), decide);
      expect(await keysOf()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('deletes documents given to deleteDocumentsLater in the next batch commit, or on their own soon after', async () => {
    const { url } = await freshSchema('group_settle');
    // The test's own collection beside the features' (a store refuses undeclared ones).
    const documents = featureDocuments();
    const store = await PgStore.open(url, { ...documents, collections: [...documents.collections, 'notes'] });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const ref = (id: string) => ({ collection: 'notes', id });
    const put = (id: string) => store.updateDocuments('shop_1', [ref(id)], () => ({ values: [{ id }], result: undefined }));
    try {
      await store.createShop(shopFixture(1));
      await put('a');
      await put('b');
      store.deleteDocumentsLater('shop_1', [ref('a')]);
      await store.recordEvents('shop_1', single('e1', 'c1'), decide);
      // Gone once the events' commit is: that batch's transaction took it.
      expect(await store.getDocument('shop_1', ref('a'))).toBeUndefined();
      expect(await store.getDocument('shop_1', ref('b'))).toEqual({ id: 'b' });
      store.deleteDocumentsLater('shop_1', [ref('b')]);
      await vi.waitFor(async () => expect(await store.getDocument('shop_1', ref('b'))).toBeUndefined());
    } finally {
      await admin.end();
      await store.close();
    }
  });
});
