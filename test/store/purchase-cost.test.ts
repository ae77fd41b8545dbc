// A purchase costs the same for a customer with one order or ten thousand (issue 20:
// within 1.5× of a fresh customer). Not timed: the customer's orders and ledger are
// wrapped in proxies that count every order and entry read, and one more purchase,
// through the lowdb store, the rules engine and the KPI roll-up the metrics read,
// may read only what it adds. Before, the roll-up re-read and re-sorted all 10 000
// orders per change and the engine scanned them all for something to compact.
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../server/loyalty/engine/customer.js';
import { shopMetrics } from '../../server/metrics/service.js';
import type { RecordedEvent } from '../../server/store/store.js';
import { lowdbFiles } from '../helpers/lowdb-files.js';
import { decide, shopFixture } from './contract.js';

const PRIOR = 10_000;
const at = '2026-01-15T10:00:00.000Z';
const purchase = (n: number): RecordedEvent => ({
  id: `p${n}`,
  type: 'purchase',
  customerId: 'heavy',
  occurredAt: at,
  properties: { orderId: `o${n}`, total: 10, currency: 'EUR' },
});

/** `target` behind a proxy that counts the values read from it (listing its keys reads them all). */
function counting<T extends object>(target: T, reads: { n: number }): T {
  const isItem = (key: string | symbol) => typeof key === 'string' && (!Array.isArray(target) || /^\d+$/.test(key));
  return new Proxy(target, {
    get(t, key, receiver) {
      if (isItem(key)) reads.n++;
      return Reflect.get(t, key, receiver);
    },
    getOwnPropertyDescriptor(t, key) {
      if (isItem(key)) reads.n++;
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    has(t, key) {
      if (isItem(key)) reads.n++;
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      const keys = Reflect.ownKeys(t);
      reads.n += keys.length;
      return keys;
    },
  });
}

describe('a purchase for a customer with a long history', () => {
  const { newFile, openAt } = lowdbFiles({ warn: () => {} });

  it(`reads the order and entries it adds, not the ${PRIOR} before them (store, engine, KPI roll-up)`, async () => {
    // No fold into the snapshot meanwhile: a fold reads every record whole, off the request path.
    const store = await openAt(newFile(), { snapshotAfterBytes: 1 << 30 });
    await store.createShop(shopFixture(1));
    for (let n = 0; n < PRIOR; n += 1000) await store.recordEvents('shop_1', Array.from({ length: 1000 }, (_, i) => purchase(n + i)), decide);
    const period = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-01-31T00:00:00.000Z'), now: new Date('2026-01-31T00:00:00.000Z') };
    // The roll-up exists (built from the records) before the purchase measured.
    const before = await shopMetrics(store, 'shop_1', period);
    expect(before.communityConversion.purchases).toBe(PRIOR);

    const record = [...store.customerChanges.customers('shop_1')].find((c) => c.customerId === 'heavy') as CustomerRecord;
    const orders = { n: 0 };
    const ledger = { n: 0 };
    record.orders = counting(record.orders!, orders);
    record.ledger = counting(record.ledger!, ledger);

    const [outcome] = await store.recordEvents('shop_1', [purchase(PRIOR)], decide);
    expect(outcome).toMatchObject({ status: 'accepted' });
    const after = await shopMetrics(store, 'shop_1', period);
    const read = { orders: orders.n, ledger: ledger.n };

    expect(after.communityConversion.purchases).toBe(PRIOR + 1);
    expect(after.points.issued).toBe(before.points.issued + 10);
    expect(Object.keys(record.orders).length).toBe(PRIOR + 1);
    expect(read).toEqual({ orders: expect.any(Number), ledger: expect.any(Number) });
    expect(read.orders).toBeLessThan(20);
    expect(read.ledger).toBeLessThan(20);
  }, 60_000);
});
