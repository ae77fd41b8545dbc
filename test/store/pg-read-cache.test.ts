// The PostgreSQL store's per-process read cache (server/store/pg/read-cache.ts), with
// two store instances on one schema as two API processes would hold them: what one
// writes, the other stops answering from its cache once the NOTIFY arrives; a fill
// that raced an invalidation is not kept; without its listening connection a store
// reads the database, and it listens again. Waits are for the store's own events
// (a notice applied, the listener down or back), never for time.
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { featureDocuments } from '../../server/features.js';
import { PgStore, type PgStoreOptions } from '../../server/store/pg/pg-store.js';
import type { CacheNotice } from '../../server/store/pg/read-cache.js';
import type { Shop } from '../../server/store/store.js';
import { NO_DATABASE, dropSchemas, freshSchema } from '../helpers/pg.js';
import { keyRecord, shopFixture } from './contract.js';

const ENDPOINTS = 'webhooks';
const PROGRAM = { collection: 'program', id: 'current' };
const about = (shopId: string, collection?: string) => (n: CacheNotice) => 'shop' in n && n.shop === shopId && n.collection === collection;
/** Runs `write` and waits until `store` applied its notices about these (a later read of the other store starts after them). */
async function heard(store: PgStore, notices: [string, string?][], write: () => Promise<unknown>): Promise<void> {
  const all = Promise.all(notices.map(([shop, collection]) => store.cache!.nextNotice(about(shop, collection))));
  await write();
  await all;
}

describe.skipIf(NO_DATABASE)('PostgreSQL read cache across instances', () => {
  const opened: PgStore[] = [];
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  afterAll(dropSchemas);

  async function twoInstances(options: Partial<PgStoreOptions> = {}) {
    const { url } = await freshSchema('cache');
    const open = async () => {
      const store = await PgStore.open(url, { ...featureDocuments(), ...options });
      opened.push(store);
      await store.cache!.ready();
      return store;
    };
    const a = await open();
    const b = await open();
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    pools.push(admin);
    return { a, b, admin };
  }

  it('a key revoked through one instance stops finding its shop in the other once the notice arrives; the writer sees it at once', async () => {
    const { a, b } = await twoInstances();
    const shop: Shop = { ...shopFixture(1), keys: [keyRecord('key_1', 'digest-1'), keyRecord('key_2', 'digest-2')] };
    await heard(b, [[shop.id]], () => a.createShop(shop));
    // Both instances hold the shop (by key digest and by id) in their caches.
    for (const store of [a, b]) {
      expect((await store.findShopByKeyDigest('digest-1'))?.id).toBe(shop.id);
      expect((await store.getShop(shop.id))?.keys).toHaveLength(2);
      expect(store.cache!.size.shops).toBe(1);
    }
    const noticed = b.cache!.nextNotice(about(shop.id));
    await a.updateShop(shop.id, (s) => ({ ...s, keys: s.keys.filter((k) => k.digest !== 'digest-1') }));
    // Read-your-writes in the writing process, without waiting for its own notice.
    expect(await a.findShopByKeyDigest('digest-1')).toBeUndefined();
    expect((await a.getShop(shop.id))?.keys).toHaveLength(1);
    await noticed;
    expect(await b.findShopByKeyDigest('digest-1')).toBeUndefined();
    expect((await b.findShopByKeyDigest('digest-2'))?.keys.map((k) => k.id)).toEqual(['key_2']);
    expect((await b.getShop(shop.id))?.keys).toHaveLength(1);
  });

  it('a webhook endpoint deactivated and a program changed through one instance are seen by the other once the notice arrives', async () => {
    const { a, b } = await twoInstances();
    const shop = shopFixture(1);
    await a.createShop(shop);
    const endpoint = { id: 'wh_1', url: 'https://example.test/hook', events: ['award.granted'], active: true };
    await heard(b, [[shop.id, ENDPOINTS], [shop.id, PROGRAM.collection]], () =>
      a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: endpoint.id }, PROGRAM], () => ({ values: [endpoint, { pointsPerCurrencyUnit: 1 }], result: undefined })),
    );
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([endpoint]);
    expect(await b.getDocument(shop.id, PROGRAM)).toEqual({ pointsPerCurrencyUnit: 1 });
    expect(b.cache!.size.collections).toBe(2);
    // A caller changing what it read does not change the cache.
    (await b.listDocuments<typeof endpoint>(shop.id, ENDPOINTS))[0]!.active = false;
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([endpoint]);

    const endpointNoticed = b.cache!.nextNotice(about(shop.id, ENDPOINTS));
    await a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: endpoint.id }], () => ({ values: [{ ...endpoint, active: false }], result: undefined }));
    expect(await a.listDocuments(shop.id, ENDPOINTS)).toEqual([{ ...endpoint, active: false }]);
    await endpointNoticed;
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([{ ...endpoint, active: false }]);
    // Only the collection written was dropped: the program is still served from the cache.
    expect(b.cache!.size.collections).toBe(2);

    const programNoticed = b.cache!.nextNotice(about(shop.id, PROGRAM.collection));
    await a.updateDocuments(shop.id, [PROGRAM], () => ({ values: [{ pointsPerCurrencyUnit: 3 }], result: undefined }));
    await programNoticed;
    expect(await b.getDocument(shop.id, PROGRAM)).toEqual({ pointsPerCurrencyUnit: 3 });
  });

  it('does not keep what a read brought back when an invalidation of it arrived while it was under way', async () => {
    const { a, b } = await twoInstances();
    const shop = shopFixture(1);
    await a.createShop(shop);
    const old = { id: 'wh_1', url: 'https://example.test/hook', events: ['award.granted'], active: true };
    await heard(b, [[shop.id, ENDPOINTS]], () => a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: old.id }], () => ({ values: [old], result: undefined })));
    // B's fill read the old endpoint; before its answer is back, A deactivates it and the notice lands.
    let answer!: (rows: { id: string; data: unknown }[]) => void;
    const fill = b.cache!.collection(shop.id, ENDPOINTS, () => new Promise((resolve) => (answer = resolve)));
    const noticed = b.cache!.nextNotice(about(shop.id, ENDPOINTS));
    await a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: old.id }], () => ({ values: [{ ...old, active: false }], result: undefined }));
    await noticed;
    answer([{ id: old.id, data: old }]);
    expect(await fill).toEqual([{ id: old.id, data: old }]);
    // The stale answer served its own caller only: the next read goes to the database.
    expect(b.cache!.size.collections).toBe(0);
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([{ ...old, active: false }]);

    // The same for a shop looked up by key digest while its keys change.
    const shop2: Shop = { ...shopFixture(2), keys: [keyRecord('key_9', 'digest-9')] };
    await heard(b, [[shop2.id]], () => a.createShop(shop2));
    let found!: (shop: Shop | undefined) => void;
    const lookup = b.cache!.shopByDigest('digest-9', () => new Promise((resolve) => (found = resolve)));
    const shopNoticed = b.cache!.nextNotice(about(shop2.id));
    await a.updateShop(shop2.id, (s) => ({ ...s, keys: [] }));
    await shopNoticed;
    found(shop2);
    expect((await lookup)?.id).toBe(shop2.id);
    expect(b.cache!.size.shops).toBe(0);
    expect(await b.findShopByKeyDigest('digest-9')).toBeUndefined();
  });

  it('clears and bypasses the cache while its listening connection is gone, and uses it again once it listens', async () => {
    // A retry far away: the test reconnects it itself, so the bypassed state lasts as long as it looks.
    const { a, b, admin } = await twoInstances({ readCache: { retryMs: 600_000 } });
    const shop = shopFixture(1);
    await heard(b, [[shop.id]], () => a.createShop(shop));
    const endpoint = { id: 'wh_1', url: 'https://example.test/hook', events: ['award.granted'], active: true };
    await heard(b, [[shop.id, ENDPOINTS]], () => a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: endpoint.id }], () => ({ values: [endpoint], result: undefined })));
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([endpoint]);
    expect(b.cache!.size).toEqual({ shops: 0, collections: 1 });

    const down = new Promise((resolve) => b.cache!.once('down', resolve));
    await admin.query('SELECT pg_terminate_backend($1)', [b.cache!.listenerPid]);
    await down;
    expect(b.cache!.listening).toBe(false);
    expect(b.cache!.size).toEqual({ shops: 0, collections: 0 });
    // A change no notice would reach B now (written behind the stores' backs): B reads it from the database, and keeps nothing.
    await admin.query(`UPDATE documents SET data = $2 WHERE shop_id = $1 AND collection = 'webhooks'`, [shop.id, JSON.stringify({ ...endpoint, active: false })]);
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([{ ...endpoint, active: false }]);
    expect((await b.getShop(shop.id))?.id).toBe(shop.id);
    expect(b.cache!.size).toEqual({ shops: 0, collections: 0 });

    const back = b.cache!.ready();
    b.cache!.reconnect();
    await back;
    expect(b.cache!.listening).toBe(true);
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([{ ...endpoint, active: false }]);
    expect(b.cache!.size.collections).toBe(1);
    // And notices reach it again.
    const noticed = b.cache!.nextNotice(about(shop.id, ENDPOINTS));
    await a.updateDocuments(shop.id, [{ collection: ENDPOINTS, id: endpoint.id }], () => ({ values: [endpoint], result: undefined }));
    await noticed;
    expect(await b.listDocuments(shop.id, ENDPOINTS)).toEqual([endpoint]);
  });

  it('keeps a bounded number of shops, and no unknown key at all', async () => {
    const { a } = await twoInstances({ readCache: { maxShops: 2 } });
    const shops = [1, 2, 3, 4, 5].map((n) => ({ ...shopFixture(n), keys: [keyRecord(`key_${n}`, `digest-${n}`)] }));
    for (const shop of shops) await a.createShop(shop);
    for (const shop of shops) expect((await a.findShopByKeyDigest(shop.keys[0]!.digest))?.id).toBe(shop.id);
    for (let i = 0; i < 50; i++) expect(await a.findShopByKeyDigest(`unknown-${i}`)).toBeUndefined();
    expect(a.cache!.size.shops).toBe(2);
    // The most recent stay; the others are read again when asked for.
    for (const shop of shops) expect((await a.findShopByKeyDigest(shop.keys[0]!.digest))?.id).toBe(shop.id);
    expect(a.cache!.size.shops).toBe(2);
  });

  it('never caches customers, badges or collections not marked cached', async () => {
    const { a, admin } = await twoInstances();
    const shop = shopFixture(1);
    await a.createShop(shop);
    await a.updateDocuments(shop.id, [{ collection: 'giftBudgets', id: 'g/2026' }], () => ({ values: [{ used: 1 }], result: undefined }));
    expect(await a.getDocument(shop.id, { collection: 'giftBudgets', id: 'g/2026' })).toEqual({ used: 1 });
    await admin.query(`UPDATE documents SET data = '{"used":2}' WHERE shop_id = $1 AND collection = 'giftBudgets'`, [shop.id]);
    expect(await a.getDocument(shop.id, { collection: 'giftBudgets', id: 'g/2026' })).toEqual({ used: 2 });
    expect(a.cache!.size.collections).toBe(0);
  });
});
