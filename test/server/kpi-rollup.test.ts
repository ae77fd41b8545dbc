// The lowdb KPI roll-ups (server/metrics/rollup.ts) must say exactly what the
// reference engine says over every record (server/metrics/engine.ts, reached
// through metricsInput without a period): on a randomized dated history, after
// more events arrive once the roll-up exists (late older orders, refunds of old
// orders, redemptions), after an erasure, and on a store reopened from its files
// (a store written before roll-ups existed: they are rebuilt from the records).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics, customerPointsIn, metricWindows } from '../../server/metrics/engine.js';
import { KpiRollups, rollupsOf, warmRollups } from '../../server/metrics/rollup.js';
import { seedDemoHistory } from '../../server/metrics/seed.js';
import { metricsInput, shopMetrics } from '../../server/metrics/service.js';
import { allCustomers } from '../../server/store/all-customers.js';
import { seedDemoProgram } from '../../server/loyalty/seed.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import type { CustomerChange, RecordedEvent, Store } from '../../server/store/store.js';
import { REDEMPTION_EVENT } from '../../server/loyalty/engine/customer.js';
import { failingFileSystem } from '../helpers/failing-fs.js';
import { NOW, ago, periods, randomHistory } from '../helpers/kpi-fixture.js';
import { tempDir } from '../helpers/server.js';
import { decide, regularBadge, shopFixture } from '../store/contract.js';
import { featureDocuments } from '../../server/features.js';

async function expectSameAsEngine(store: Store, seed: number): Promise<void> {
  for (const period of periods(seed)) {
    const reference = computeMetrics(await metricsInput(store, 'shop_1'), period);
    expect(await shopMetrics(store, 'shop_1', period), `${period.from.toISOString()} → ${period.to.toISOString()}`).toEqual(reference);
  }
}

describe('KPI roll-ups (lowdb)', () => {
  const dir = tempDir();
  const file = join(dir, 'kudos.json');
  let store: LowdbStore;

  beforeAll(async () => {
    store = await LowdbStore.open(file, { ...featureDocuments() });
    await store.createShop(shopFixture(1));
    await store.putBadge('shop_1', regularBadge);
    await seedDemoProgram(store, 'shop_1', () => NOW);
    // Groups, market visits, reward codes and NPS answers: attribution from other documents.
    await seedDemoHistory(store, 'shop_1', () => NOW);
    await store.recordEvents('shop_1', randomHistory(1, 'a-', 80), decide);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('match the engine over every record, for every period', async () => {
    await expectSameAsEngine(store, 11);
    const m = await shopMetrics(store, 'shop_1', { from: ago(84), to: NOW, now: NOW });
    // Something to compare: every part of the figures is non-trivial.
    expect(m.returnCorrectedRetention.retained).toBeGreaterThan(0);
    expect(m.returnCorrectedRetention.retained).toBeLessThan(m.repeatPurchase.repeaters);
    expect(m.retention.retained).toBeGreaterThan(0);
    expect(m.repeat30.pending).toBeGreaterThan(0);
    expect(m.communityConversion.sources.group.purchases).toBeGreaterThan(0);
    expect(m.communityConversion.sources.market.purchases).toBeGreaterThan(0);
    expect(m.communityConversion.sources.loyalty.purchases).toBeGreaterThan(0);
    expect(m.points.redeemed).toBeGreaterThan(0);
    expect(m.points.clawedBack).toBeGreaterThan(0);
    expect(m.awards.badges).toBeGreaterThan(0);
  });

  it('follow events that arrive once they exist: late older orders, refunds of old orders, new customers', async () => {
    const before = await shopMetrics(store, 'shop_1', { from: ago(200), to: NOW, now: NOW });
    // Same customers as before (prefix a-c…), new order ids: many land before their customer's first order.
    const late = randomHistory(2, 'b-', 80).map((e) => (e.customerId ? { ...e, customerId: e.customerId.replace('b-c', 'a-c') } : e));
    await store.recordEvents('shop_1', late, decide);
    await store.recordEvents('shop_1', [{ id: 'late-refund', type: 'refund', customerId: 'a-c3', occurredAt: ago(1).toISOString(), properties: { orderId: 'a-o5', amount: 1000 } }], decide);
    const after = await shopMetrics(store, 'shop_1', { from: ago(200), to: NOW, now: NOW });
    expect(after.communityConversion.purchases).toBeGreaterThan(before.communityConversion.purchases);
    await expectSameAsEngine(store, 12);
  });

  it('follow records changed in place event by event (only what each adds moves), with the same figures as a roll-up read whole', async () => {
    // In time order, so no event is late: each adds to its customer's record in place
    // (orders, refunds, ledger entries, badges) and the roll-up applies just that.
    const inOrder = randomHistory(6, 'h-', 40);
    // Customers of their own, so none of these is late (and before decide's now, which later times
    // become). Codes spent on an order before the customer redeems them: the redemption makes the
    // old order a loyalty one. And an order in the middle of a customer's history refunded in full:
    // it leaves the kept orders, and the pairs around it close up.
    const own = [0, 1, 2].flatMap((n): RecordedEvent[] => [
      ...[29, 28, 27, 26, 25].map((d, i): RecordedEvent => ({ id: `h-x${n}-p${i}`, type: 'purchase', customerId: `h-x${n}`, occurredAt: ago(d).toISOString(), properties: { orderId: `h-x${n}-o${i}`, total: 30, currency: 'EUR', discountCode: `h-x${n}-R${i}` } })),
      { id: `h-x${n}-refund`, type: 'refund', customerId: `h-x${n}`, occurredAt: ago(24).toISOString(), properties: { orderId: `h-x${n}-o${n + 1}`, amount: 30 } },
      { id: `h-x${n}-redeem`, type: REDEMPTION_EVENT, customerId: `h-x${n}`, occurredAt: ago(23).toISOString(), properties: { rewardId: 'five-off', cost: 0, code: `h-x${n}-R${n}` } },
      { id: `h-x${n}-last`, type: 'purchase', customerId: `h-x${n}`, occurredAt: ago(22).toISOString(), properties: { orderId: `h-x${n}-o9`, total: 30, currency: 'EUR' } },
    ]);
    const events = [...inOrder, ...own].sort((a, b) => a.occurredAt!.localeCompare(b.occurredAt!));
    const period = { from: ago(200), to: NOW, now: NOW };
    for (let i = 0; i < events.length; i += 7) {
      await store.recordEvents('shop_1', events.slice(i, i + 7), decide);
      // Drained between some of them: changes to records the roll-up has read already.
      if (i % 28 === 0) await shopMetrics(store, 'shop_1', period);
    }
    await expectSameAsEngine(store, 16);
    const windows = metricWindows(period.from, period.to);
    const whole = new KpiRollups(store.customerChanges!);
    try {
      expect(await rollupsOf(store)!.customerPoints('shop_1', windows, NOW.getTime(), { groupOrders: [] })).toEqual(
        await whole.customerPoints('shop_1', windows, NOW.getTime(), { groupOrders: [] }),
      );
    } finally {
      whole.close();
    }
  });

  it('forget an erased customer', async () => {
    const erased = (await store.listCustomers('shop_1', { limit: 5 })).find((c) => Object.keys(c.orders ?? {}).length > 1)!;
    expect(await store.deleteCustomer('shop_1', erased.customerId)).toBe(true);
    await expectSameAsEngine(store, 13);
  });

  it('are rebuilt from the records of a store reopened from its files (written before roll-ups existed)', async () => {
    const expected = await Promise.all(periods(14).map(async (p) => computeMetrics(await metricsInput(store, 'shop_1'), p)));
    await store.close();
    store = await LowdbStore.open(file, { ...featureDocuments() });
    await warmRollups(store);
    for (const [i, p] of periods(14).entries()) expect(await shopMetrics(store, 'shop_1', p)).toEqual(expected[i]);
  });

  it('drop what a failed write had applied in memory: the figures are what is on disk', async () => {
    const { faults, openLogFile } = failingFileSystem();
    const faulty = await LowdbStore.open(join(dir, 'faulty.json'), { ...featureDocuments(), openLogFile });
    try {
      await faulty.createShop(shopFixture(1));
      await faulty.recordEvents('shop_1', randomHistory(4, 'f-', 30), decide);
      const period = { from: ago(200), to: NOW, now: NOW };
      const before = await shopMetrics(faulty, 'shop_1', period);
      faults.budget = 10;
      await expect(faulty.recordEvents('shop_1', randomHistory(5, 'g-', 30), decide)).rejects.toThrow();
      faults.budget = Infinity;
      expect(await shopMetrics(faulty, 'shop_1', period)).toEqual(before);
      expect(before).toEqual(computeMetrics(await metricsInput(faulty, 'shop_1'), period));
    } finally {
      await faulty.close();
    }
  });

  it('apply a flood of changes in slices: other work runs meanwhile, and the figures are the engine\'s', async () => {
    // The records of a bigger history, told as changes all at once to a roll-up fed by hand.
    await store.recordEvents('shop_1', randomHistory(3, 'big-', 1500), decide);
    const records = await allCustomers(store, 'shop_1');
    let tell: (change: CustomerChange) => void = () => {};
    const rollups = new KpiRollups({ subscribe: (listener) => ((tell = listener), () => {}), customers: () => [] });
    await rollups.warm('shop_1');
    for (const record of records) tell({ shopId: 'shop_1', customerId: record.customerId, record });
    let turns = 0;
    let done = false;
    const tick = () => (turns++, done || setImmediate(tick));
    setImmediate(tick);
    const period = { from: ago(200), to: NOW, now: NOW };
    const windows = metricWindows(period.from, period.to);
    const points = await rollups.customerPoints('shop_1', windows, NOW.getTime(), { groupOrders: [] });
    done = true;
    expect(turns).toBeGreaterThan(0);
    expect(points).toEqual(customerPointsIn({ customers: records, npsWeeks: [], groups: [], trophyAwards: [] }, windows, NOW.getTime()));
    rollups.close();
    await expectSameAsEngine(store, 15);
  }, 60_000);
});
