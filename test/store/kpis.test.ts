// GET /v1/metrics on PostgreSQL aggregates customer records in SQL
// (server/store/pg/kpis.ts); on lowdb the engine reads the records. Both must say
// the same: the same history is written to each store, and every KPI of several
// periods (whole weeks, partial weeks, a period ending before now) is compared
// with the engine's own figures over the same records.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../server/metrics/engine.js';
import { seedDemoHistory } from '../../server/metrics/seed.js';
import { seedDemoProgram } from '../../server/loyalty/seed.js';
import { metricsInput, shopMetrics } from '../../server/metrics/service.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import type { RecordedEvent, Store } from '../../server/store/store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { ago as fixtureAgo, periods, randomHistory } from '../helpers/kpi-fixture.js';
import { tempDir } from '../helpers/server.js';
import { decide, regularBadge, shopFixture } from './contract.js';
import { featureDocuments } from '../../server/features.js';

const NOW = new Date('2026-11-20T15:30:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const purchase = (id: string, customerId: string, occurredAt: string, total: number, extra: Record<string, unknown> = {}): RecordedEvent => ({
  id,
  type: 'purchase',
  customerId,
  occurredAt,
  properties: { orderId: `o-${id}`, total, currency: 'EUR', ...extra },
});

/** Ties and edges the demo history may not hold: orders at the same instant, a free order, a full refund, a directory link. */
const EDGES: RecordedEvent[] = [
  purchase('t1', 'edge-tie', ago(20).toISOString(), 10),
  purchase('t0', 'edge-tie', ago(20).toISOString(), 15),
  purchase('f1', 'edge-free', ago(15).toISOString(), 0),
  purchase('f2', 'edge-free', ago(10).toISOString(), 0),
  purchase('r1', 'edge-refund', ago(12).toISOString(), 30, { kudos_src: 'badge' }),
  { id: 'r1-refund', type: 'refund', customerId: 'edge-refund', occurredAt: ago(11).toISOString(), properties: { orderId: 'o-r1', amount: 30 } },
  purchase('r2', 'edge-refund', ago(5).toISOString(), 30, { kudos_src: 'directory' }),
];

const PERIODS = [
  { name: 'the last twelve weeks', from: ago(84), to: NOW, now: NOW },
  { name: 'a period that starts and ends mid-week', from: new Date('2026-10-01T12:00:00.000Z'), to: new Date('2026-11-12T06:00:00.000Z'), now: NOW },
  { name: 'a short period long before now', from: ago(60), to: ago(45), now: NOW },
  { name: 'a period whose cohorts are still pending', from: ago(30), to: ago(2), now: ago(1) },
];

describe.skipIf(NO_DATABASE)('KPIs computed in PostgreSQL', () => {
  let pgStore: PgStore;
  let lowdb: LowdbStore;
  const dir = tempDir();

  beforeAll(async () => {
    pgStore = await PgStore.open((await freshSchema('kpis')).url, { ...featureDocuments() });
    lowdb = await LowdbStore.open(join(dir, 'kudos.json'), { ...featureDocuments() });
    for (const store of [pgStore, lowdb] as Store[]) {
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', regularBadge);
      await seedDemoProgram(store, 'shop_1', () => NOW);
      await seedDemoHistory(store, 'shop_1', () => NOW);
      await store.recordEvents('shop_1', EDGES, decide);
    }
  });
  afterAll(async () => {
    await pgStore.close();
    await lowdb.close();
    rmSync(dir, { recursive: true, force: true });
    await dropSchemas();
  });

  for (const period of PERIODS) {
    it(`match the engine over the same records, and the lowdb store: ${period.name}`, async () => {
      const sql = await shopMetrics(pgStore, 'shop_1', period);
      // The engine over every record read back from PostgreSQL (no period: the records are loaded).
      const engine = computeMetrics(await metricsInput(pgStore, 'shop_1'), period);
      expect(sql).toEqual(engine);
      expect(await shopMetrics(lowdb, 'shop_1', period)).toEqual(sql);
    });
  }

  it('have something to compare: purchases, sources, cohorts, refunds and points in the demo history', async () => {
    const m = await shopMetrics(pgStore, 'shop_1', PERIODS[0]!);
    expect(m.communityConversion.purchases).toBeGreaterThan(20);
    expect(m.communityConversion.sources.directory.purchases).toBeGreaterThan(0);
    expect(m.communityConversion.sources.market.purchases).toBeGreaterThan(0);
    expect(m.communityConversion.sources.group.purchases).toBeGreaterThan(0);
    expect(m.communityConversion.recognition.purchases).toBeGreaterThan(0);
    expect(m.retention.cohort).toBeGreaterThan(10);
    expect(m.returnCorrectedRetention.retained).toBeLessThan(m.repeatPurchase.repeaters);
    expect(m.points.issued).toBeGreaterThan(0);
    expect(m.points.redeemed).toBeGreaterThan(0);
    expect(m.awards.badges).toBeGreaterThan(0);
  });

  it('read no customer record into the process on PostgreSQL', async () => {
    const spied = Object.create(pgStore) as PgStore;
    Object.assign(spied, {
      listCustomers: () => Promise.reject(new Error('loaded customer records')),
      getCustomer: () => Promise.reject(new Error('loaded a customer record')),
    });
    await expect(shopMetrics(spied, 'shop_1', PERIODS[0]!)).resolves.toMatchObject({ from: PERIODS[0]!.from.toISOString() });
  });
});

/** Cells where kpi_days + kpi_deltas differ from every customer's contributions recomputed in full (migration 8's kpi_items). */
async function recomputedDiffers(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query(`
    WITH kept AS (
      SELECT shop_id, kind, a, b, sum(n) AS n FROM (SELECT shop_id, kind, a, b, n FROM kpi_days UNION ALL SELECT shop_id, kind, a, b, n FROM kpi_deltas) x
      GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0),
    full_ AS (
      SELECT c.shop_id, i.kind, i.a, i.b, sum(i.n) AS n FROM customers c, kpi_items(c.shop_id, c.customer_id) i WHERE c.data IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(i.n) <> 0)
    SELECT * FROM kept FULL JOIN full_ f USING (shop_id, kind, a, b) WHERE kept.n IS DISTINCT FROM f.n`);
  return rows;
}

describe.skipIf(NO_DATABASE)('KPI day aggregates in PostgreSQL (migrations 6 and 8, kept by a trigger)', () => {
  let store: PgStore;
  let url: string;
  const period = (p: (typeof PERIODS)[number]) => p;
  const expectSameAsEngine = async (seed: number) => {
    for (const p of periods(seed)) {
      const reference = computeMetrics(await metricsInput(store, 'shop_1'), p);
      expect(await shopMetrics(store, 'shop_1', p), `${p.from.toISOString()} → ${p.to.toISOString()}`).toEqual(reference);
    }
  };

  beforeAll(async () => {
    url = (await freshSchema('kpiroll')).url;
    store = await PgStore.open(url, { ...featureDocuments() });
    await store.createShop(shopFixture(1));
    await store.putBadge('shop_1', regularBadge);
    await seedDemoProgram(store, 'shop_1', () => NOW);
    await seedDemoHistory(store, 'shop_1', () => NOW);
    await store.recordEvents('shop_1', randomHistory(1, 'a-', 40), decide);
  });
  afterAll(async () => {
    await store?.close();
    await dropSchemas();
  });

  it('match the engine over every record on a randomized dated history', async () => {
    await expectSameAsEngine(21);
    expect((await shopMetrics(store, 'shop_1', period(PERIODS[0]!))).returnCorrectedRetention.retained).toBeGreaterThan(0);
  });

  it('follow late older orders, refunds of old orders and an erasure, in the writing transaction', async () => {
    const late = randomHistory(2, 'b-', 40).map((e) => (e.customerId ? { ...e, customerId: e.customerId.replace('b-c', 'a-c') } : e));
    await store.recordEvents('shop_1', late, decide);
    await store.recordEvents('shop_1', [{ id: 'late-refund', type: 'refund', customerId: 'a-c3', occurredAt: fixtureAgo(1).toISOString(), properties: { orderId: 'a-o5', amount: 1000 } }], decide);
    const erased = (await store.listCustomers('shop_1', { limit: 5 })).find((c) => Object.keys(c.orders ?? {}).length > 1)!;
    expect(await store.deleteCustomer('shop_1', erased.customerId)).toBe(true);
    await expectSameAsEngine(22);
  });

  it('move only what a write changes (migration 10): the aggregates equal every customer recomputed from its rows, after back-dated orders into long histories', async () => {
    // Three customers with ~60 orders each, arriving shuffled: most writes insert an order,
    // a refund or a redemption into the middle of a long history, not at its end.
    const long = randomHistory(7, 'e-', 60).map((e) => (e.customerId ? { ...e, customerId: `e-c${Number(e.customerId.slice(3)) % 3}` } : e));
    for (let i = 0; i < long.length; i += 25) await store.recordEvents('shop_1', long.slice(i, i + 25), decide);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await recomputedDiffers(pool)).toEqual([]);
      // A write that does not say what changed (copy, SQL by hand): the trigger compares the records.
      await pool.query(`UPDATE customers SET data = (SELECT data FROM customers WHERE customer_id = 'e-c0') WHERE customer_id = 'e-c1'`);
      await pool.query(`DELETE FROM customers WHERE customer_id = 'e-c0'`);
      expect(await recomputedDiffers(pool)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('leave no dead deltas behind a large fold for every later read to walk (vacuumed once 5 000 have moved)', async () => {
    await store.kpis.fold!();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const vacuums = async () => Number((await pool.query(`SELECT vacuum_count + autovacuum_count AS n FROM pg_stat_user_tables WHERE relid = 'kpi_deltas'::regclass`)).rows[0].n);
      const before = await vacuums();
      const deltas = async () => Number((await pool.query('SELECT count(*) AS n FROM kpi_deltas')).rows[0].n);
      for (let round = 0; (await deltas()) < 6000; round++) await store.recordEvents('shop_1', randomHistory(40 + round, `v${round}-`, 150), decide);
      await store.kpis.fold!();
      expect(await deltas()).toBe(0);
      expect(await vacuums()).toBeGreaterThan(before);
    } finally {
      await pool.end();
    }
    await expectSameAsEngine(28);
  });

  it('are exact whether the deltas writers left are folded into the day rows or not, and a rolled-back write leaves none', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const deltas = async () => Number((await pool.query('SELECT count(*) AS n FROM kpi_deltas')).rows[0].n);
      await store.kpis.fold!();
      expect(await deltas()).toBe(0);
      await store.recordEvents('shop_1', randomHistory(6, 'd-', 20), decide);
      expect(await deltas()).toBeGreaterThan(0);
      // A request reads kpi_days and kpi_deltas together (then folds in the background: wait for that too).
      await expectSameAsEngine(24);
      await store.kpis.fold!();
      expect(await deltas()).toBe(0);
      await expectSameAsEngine(24);
      // A write the transaction takes back takes its deltas with it.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE customers SET data = (SELECT data FROM customers WHERE customer_id = 'd-c1') WHERE customer_id = 'd-c2'`);
        expect(Number((await client.query('SELECT count(*) AS n FROM kpi_deltas')).rows[0].n)).toBeGreaterThan(0);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      expect(await deltas()).toBe(0);
      await expectSameAsEngine(25);
      expect(await recomputedDiffers(pool)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('are filled from the records of a database migrated before they existed', async () => {
    // Half a history before the upgrade, half after: redemptions recorded after it flag
    // orders recorded before it (migration 10 keeps reward codes on the rows it fills).
    const split = randomHistory(8, 'g-', 30);
    await store.recordEvents('shop_1', split.slice(0, split.length / 2), decide);
    const expected = await Promise.all(periods(23).map(async (p) => computeMetrics(await metricsInput(store, 'shop_1'), p)));
    await store.close();
    // The database as Kudos left it before migration 6: records, no roll-up tables (nor migration 8's day aggregates).
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query(`DROP TRIGGER customers_kpis ON customers; DROP FUNCTION kpi_customers_changed(); DROP FUNCTION kpi_sync(text, text, jsonb);
      DROP FUNCTION kpi_items_part(text, text, bigint, text, bigint, text, bigint[], text[]); DROP FUNCTION kpi_order_items(text, text, bigint, text, bigint, text); DROP FUNCTION kpi_first_items(text, text);
      DROP FUNCTION kpi_fold(integer); DROP FUNCTION kpi_items(text, text); DROP FUNCTION kpi_timed_items(text, text); DROP FUNCTION kpi_timed_items_of(text, text[]); DROP FUNCTION kpi_day(bigint);
      DROP TABLE kpi_orders, kpi_ledger, kpi_badges, kpi_days, kpi_deltas; DROP TYPE kpi_cell; ALTER TABLE customers DROP COLUMN kpi_change; DELETE FROM kudos_migrations WHERE version IN (6, 8, 9, 10)`);
    await pool.end();
    store = await PgStore.open(url, { ...featureDocuments() });
    for (const [i, p] of periods(23).entries()) expect(await shopMetrics(store, 'shop_1', p)).toEqual(expected[i]);
    await store.recordEvents('shop_1', split.slice(split.length / 2), decide);
    await expectSameAsEngine(27);
    const check = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await recomputedDiffers(check)).toEqual([]);
    } finally {
      await check.end();
    }
  });
});
