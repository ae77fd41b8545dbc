// After-record follow-ups survive a crash between the events' commit and their run:
// the pending document written in that commit makes them run again when an event
// is replayed and when a server starts, and each runs once in effect (a counter
// is not counted twice). On lowdb and, with a database, on PostgreSQL.
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import '../../server/features.js';
import { SKU_STATS } from '../../server/forecast/service.js';
import { FOLLOW_UPS } from '../../server/events/after-record.js';
import { recordEvents, runPendingFollowUps } from '../../server/events/record-events.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import type { DocumentRef, RecordedEvent, Store } from '../../server/store/store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { tempDir } from '../helpers/server.js';
import { shopFixture } from '../store/contract.js';
import { featureDocuments } from '../../server/features.js';

const now = () => new Date('2026-11-20T10:00:00.000Z');
const purchase = (id: string, qty: number): RecordedEvent => ({
  id,
  type: 'purchase',
  customerId: 'c1',
  occurredAt: '2026-11-20T09:00:00.000Z',
  properties: { orderId: `o-${id}`, total: 10, currency: 'EUR', sku: 'MUG', quantity: qty },
});

class Crash extends Error {}

/**
 * The store as a process sees it until it dies at `at`: that call (after its commit, for
 * recordEvents) never returns; `before-done`: the process dies before the batch's pending
 * document is forgotten, so that never reaches the store (the request had its answer).
 */
function dying(store: Store, at: 'after-commit' | 'before-done'): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'recordEvents' && at === 'after-commit') {
        return async (...args: Parameters<Store['recordEvents']>) => {
          await target.recordEvents(...args);
          throw new Crash('killed after the commit');
        };
      }
      if (prop === 'deleteDocumentsLater' && at === 'before-done') {
        return (shopId: string, refs: readonly DocumentRef[]) => {
          if (refs.length === 1 && refs[0]!.collection === FOLLOW_UPS) return;
          return target.deleteDocumentsLater(shopId, refs);
        };
      }
      return value.bind(target);
    },
  });
}

/** Finished follow-ups are forgotten: at once on lowdb, in a commit soon after on PostgreSQL (deleteDocumentsLater). */
const noPending = (store: Store) => vi.waitFor(async () => expect(await store.listDocuments('shop_1', FOLLOW_UPS)).toEqual([]));

async function unitsSold(store: Store): Promise<number> {
  const [doc] = await store.listDocuments<{ sales: Record<string, number> }>('shop_1', SKU_STATS);
  return Object.values(doc?.sales ?? {}).reduce((a, b) => a + b, 0);
}

function describeFollowUps(name: string, open: () => Promise<Store>) {
  describe(`after-record follow-ups after a crash: ${name}`, () => {
    it('run when an event of the batch is replayed, and once in effect', async () => {
      const store = await open();
      try {
        await store.createShop(shopFixture(1));
        await expect(recordEvents(dying(store, 'after-commit'), now, 'shop_1', [purchase('e1', 2)])).rejects.toBeInstanceOf(Crash);
        expect(await unitsSold(store)).toBe(0);
        expect(await store.listDocuments('shop_1', FOLLOW_UPS)).toHaveLength(1);
        // The client retries: a duplicate, and what the crash cut off happens now.
        const [again] = await recordEvents(store, now, 'shop_1', [purchase('e1', 2)]);
        expect(again!.status).toBe('duplicate');
        expect(await unitsSold(store)).toBe(2);
        await noPending(store);
        await recordEvents(store, now, 'shop_1', [purchase('e1', 2)]);
        expect(await unitsSold(store)).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('run at start-up, and a hook that had run before the crash does not count again', async () => {
      const store = await open();
      try {
        await store.createShop(shopFixture(1));
        await expect(recordEvents(dying(store, 'after-commit'), now, 'shop_1', [purchase('e1', 2)])).rejects.toBeInstanceOf(Crash);
        // This one's hooks all ran and it was answered; forgetting its pending document never happened:
        // the answer does not wait for that write (a second fsync per request).
        expect((await recordEvents(dying(store, 'before-done'), now, 'shop_1', [purchase('e2', 3)]))[0]!.status).toBe('accepted');
        expect(await unitsSold(store)).toBe(3);
        expect(await store.listDocuments('shop_1', FOLLOW_UPS)).toHaveLength(2);
        const errors: unknown[] = [];
        expect(await runPendingFollowUps(store, now, (_m, e) => errors.push(e))).toBe(2);
        expect(errors).toEqual([]);
        expect(await unitsSold(store)).toBe(5);
        await noPending(store);
        expect(await runPendingFollowUps(store, now, () => {})).toBe(0);
        expect(await unitsSold(store)).toBe(5);
      } finally {
        await store.close();
      }
    });
  });
}

describeFollowUps('lowdb', () => LowdbStore.open(join(tempDir('kudos-follow-ups-'), 'kudos.json'), { ...featureDocuments() }));

describe.skipIf(NO_DATABASE)('PostgreSQL', () => {
  afterAll(dropSchemas);
  describeFollowUps('PostgreSQL', async () => PgStore.open((await freshSchema('follow_ups')).url, { ...featureDocuments() }));
});
