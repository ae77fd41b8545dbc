// `kudos store copy`: a lowdb file up to PostgreSQL and back again, through the
// CLI as an operator runs it, with the count check and nothing lost on the way.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { EventConflict, type BrowserLimits, type RecordedEvent } from '../../server/store/store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { tempDir } from '../helpers/server.js';
import { decide, purchaseEvent, regularBadge, shopFixture } from './contract.js';
import { featureDocuments } from '../../server/features.js';

const kudos = join(import.meta.dirname, '..', '..', 'bin', 'kudos.js');
const run = (...args: string[]) => promisify(execFile)(process.execPath, [kudos, ...args]);
const DAY = 86_400_000;
const roomy: BrowserLimits = { events: 1000, idRetentionMs: DAY, anonymousVisitors: 1000, anonymousIdleMs: 3650 * DAY };
/** A page view as the events route hands it to the store: visitor-scoped id, browser namespace, fingerprint of its content. */
const pageView = (id: string, fingerprint = `fp-${id}`): RecordedEvent => ({
  id,
  type: 'page_view',
  customerId: '~anon:visitor-1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  browser: true,
  fingerprint,
});

describe.skipIf(NO_DATABASE)('kudos store copy', { timeout: 60_000 }, () => {
  afterAll(dropSchemas);

  it('copies every shop from a lowdb file to PostgreSQL and back, with counts, and refuses a store that is not empty', async () => {
    const file = join(tempDir(), 'kudos.json');
    const lowdb = await LowdbStore.open(file, { ...featureDocuments() });
    for (const n of [1, 2]) {
      await lowdb.createShop(shopFixture(n));
      await lowdb.putBadge(`shop_${n}`, { ...regularBadge, criteria: { event: 'purchase', count: 1 }, maxAwards: 10 });
      await lowdb.recordEvents(`shop_${n}`, [{ ...purchaseEvent('e1', 'c1'), fingerprint: 'fp-e1' }, purchaseEvent('e2', 'c2'), purchaseEvent('e3', 'c1')], decide);
      // A browser id equal to a backend id: its own namespace, carried as such.
      await lowdb.recordEvents(`shop_${n}`, [pageView('e1'), pageView('~b:pv-2')], decide, roomy);
      await lowdb.updateDocuments(`shop_${n}`, [{ collection: 'surveys', id: 'checkout' }, { collection: 'rewards', id: 'coffee' }], () => ({
        values: [{ question: `Shop ${n}?` }, { cost: 100 }],
        result: null,
      }));
    }
    const original = await lowdb.dump();
    await lowdb.close();

    const { url } = await freshSchema('copy');
    const up = JSON.parse((await run('store', 'copy', '--from', file, '--to', url)).stdout);
    expect(up.copied).toEqual({ shop: 2, badge: 2, customer: 6, seen: 10, awardCount: 2, document: 4 });

    const pg = await PgStore.open(url, { ...featureDocuments() });
    expect((await pg.findShopByKeyDigest('digest-sk-2'))?.id).toBe('shop_2');
    expect((await pg.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(2);
    const [replay] = await pg.recordEvents('shop_1', [purchaseEvent('e3', 'c1')], decide);
    expect(replay).toMatchObject({ status: 'duplicate' });
    expect(await pg.getDocument('shop_2', { collection: 'surveys', id: 'checkout' })).toEqual({ question: 'Shop 2?' });
    // Browser ids and fingerprints came along: a browser replay is a duplicate, the same id with other content a conflict, in each namespace.
    const [browserReplay] = await pg.recordEvents('shop_1', [pageView('~b:pv-2')], decide, roomy);
    expect(browserReplay).toMatchObject({ status: 'duplicate' });
    await expect(pg.recordEvents('shop_1', [pageView('~b:pv-2', 'fp-other')], decide, roomy)).rejects.toBeInstanceOf(EventConflict);
    await expect(pg.recordEvents('shop_1', [pageView('e1', 'fp-other')], decide, roomy)).rejects.toBeInstanceOf(EventConflict);
    await expect(pg.recordEvents('shop_1', [{ ...purchaseEvent('e1', 'c1'), fingerprint: 'fp-other' }], decide)).rejects.toBeInstanceOf(EventConflict);
    await pg.close();

    await expect(run('store', 'copy', '--from', file, '--to', url)).rejects.toMatchObject({ stderr: expect.stringContaining('already has shops') });

    const back = join(tempDir(), 'back.json');
    const down = JSON.parse((await run('store', 'copy', '--from', url, '--to', back)).stdout);
    expect(down.copied).toEqual(up.copied);
    const again = await LowdbStore.open(back, { ...featureDocuments() });
    const sortKey = (r: object) => JSON.stringify(r);
    expect((await again.dump()).map(sortKey).sort()).toEqual(original.map(sortKey).sort());
    await again.close();
  });
});
