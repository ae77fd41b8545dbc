// The contract every Store must pass. A new store (e.g. PostgreSQL) adds one
// file that calls describeStoreContract with its own factory.
import { afterEach, describe, expect, it } from 'vitest';
import { featureDocuments } from '../../server/features.js';
import { applyEvent } from '../../server/loyalty/engine/apply.js';
import { DEFAULT_PROGRAM, type BadgeDefinition } from '../../server/loyalty/schemas.js';
import {
  EventConflict,
  QuotaExceeded,
  type BrowserLimits,
  type Decide,
  type DocumentLookup,
  type RecordedEvent,
  type Shop,
  type Store,
} from '../../server/store/store.js';

export interface StoreOptions {
  /** Document lookups to index (default: the server's, server/features.ts featureDocuments()). */
  lookups?: readonly DocumentLookup[];
  /** Collections it may hold: the server's and this contract's own (TEST_COLLECTIONS). */
  collections?: readonly string[];
}

/** The contract's own collections beside the features' (a store refuses undeclared ones). */
const TEST_COLLECTIONS = ['things', 'other', 'counters', 'stock', 'campaigns'];
const withTestCollections = (options?: StoreOptions): StoreOptions => ({ ...options, collections: [...featureDocuments().collections, ...TEST_COLLECTIONS] });

export interface StoreFactory {
  /** A new, empty store. */
  create(options?: StoreOptions): Promise<Store>;
  /** The same data again after close(), as after a restart. */
  reopen(options?: StoreOptions): Promise<Store>;
}

/** Test lookups: things by owner (several keys per document) and by due time (none once done). */
const thingsByOwner: DocumentLookup = {
  name: 'test-things.owner',
  version: 1,
  collection: 'things',
  keys: (value) => {
    const thing = value as { owner?: string; helpers?: string[] };
    return [...(thing.owner ? [thing.owner] : []), ...(thing.helpers ?? [])];
  },
};
const thingsDue: DocumentLookup = {
  name: 'test-things.due',
  version: 1,
  collection: 'things',
  keys: (value) => {
    const thing = value as { due?: string; done?: boolean };
    return thing.due && !thing.done ? [thing.due] : [];
  },
};
/** Added later, over documents already stored: built on open. */
const thingsById: DocumentLookup = { name: 'test-things.id', version: 1, collection: 'things', keys: (_value, id) => [id] };
const thingLookups = [thingsByOwner, thingsDue];

const at = '2026-11-01T10:00:00.000Z';

export const keyRecord = (id: string, digest: string, kind: 'publishable' | 'secret' = 'secret') => ({
  id,
  name: id,
  kind,
  scopes: kind === 'secret' ? ['admin'] : [],
  digest,
  hint: 'sk_tes…0000',
  createdAt: at,
});

export const shopFixture = (n: number): Shop => ({
  id: `shop_${n}`,
  name: `Shop ${n}`,
  publishableKey: `pk_test_${n}`,
  keys: [keyRecord(`key_pk${n}`, `digest-pk-${n}`, 'publishable'), keyRecord(`key_sk${n}`, `digest-sk-${n}`)],
  identitySecrets: [{ id: `ids_${n}`, sealed: `sealed:v1:test:${n}`, createdAt: at }],
  derivationSecret: `sealed:v1:test:d${n}`,
  origins: [`https://shop${n}.example`],
  createdAt: at,
});

export const regularBadge: BadgeDefinition = {
  id: 'regular',
  name: 'Regular',
  criteria: { event: 'purchase', count: 3 },
  // As the API writes it: a stored badge without \`active\` is an older file's, which opening upgrades.
  active: true,
  createdAt: at,
  updatedAt: at,
};

export const purchaseEvent = (id: string, customerId = 'c1'): RecordedEvent => ({
  id,
  type: 'purchase',
  customerId,
  occurredAt: at,
  properties: { orderId: `o-${id}`, total: 10, currency: 'EUR' },
});

const browserEvent = (id: string, customerId: string): RecordedEvent => ({ id, type: 'page_view', customerId, occurredAt: at, browser: true });
const DAY = 86_400_000;
const roomy: BrowserLimits = { events: 1000, idRetentionMs: DAY, anonymousVisitors: 1000, anonymousIdleMs: 3650 * DAY };

export const decide: Decide = (customer, event, badges) => applyEvent(customer, event.customerId, event, { badges, program: DEFAULT_PROGRAM }, at);

export function describeStoreContract(name: string, factory: () => StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let open: Store[] = [];
    let current: StoreFactory;
    const fresh = async (options?: StoreOptions) => {
      current = factory();
      const store = await current.create(withTestCollections(options));
      open.push(store);
      return store;
    };
    const restart = async (store: Store, options?: StoreOptions) => {
      await store.close();
      open = open.filter((s) => s !== store);
      const again = await current.reopen(withTestCollections(options));
      open.push(again);
      return again;
    };
    afterEach(async () => {
      await Promise.all(open.map((s) => s.close()));
      open = [];
    });

    it('finds a shop by any of its key digests and not by an unknown one', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      expect((await store.findShopByKeyDigest('digest-pk-1'))?.id).toBe('shop_1');
      expect((await store.findShopByKeyDigest('digest-sk-1'))?.id).toBe('shop_1');
      expect(await store.findShopByKeyDigest('digest-pk-2')).toBeUndefined();
      expect((await store.getShop('shop_1'))?.name).toBe('Shop 1');
      expect((await store.listShops()).map((s) => s.id)).toEqual(['shop_1']);
    });

    it('hands out shops a caller cannot change behind the store: not by the key lookup, get, list, create or update', async () => {
      const store = await fresh();
      const created = shopFixture(1);
      await store.createShop(created);
      const original = structuredClone(created);
      // A store may hand out copies (a change stays the caller's) or frozen objects (a change throws): never its own state.
      const tamper = (shop: Shop | undefined) => {
        try {
          shop!.name = 'Tampered';
          shop!.origins.push('https://evil.example');
          shop!.keys[0]!.digest = 'digest-evil';
        } catch {
          // frozen
        }
      };
      tamper(await store.findShopByKeyDigest('digest-pk-1'));
      tamper(await store.getShop('shop_1'));
      tamper((await store.listShops())[0]);
      created.name = 'Changed by its creator';
      tamper(await store.updateShop('shop_1', (shop) => ({ ...shop, origins: ['https://shop.example'] })));
      const expected = { ...original, origins: ['https://shop.example'] };
      expect(await store.getShop('shop_1')).toEqual(expected);
      expect(await store.findShopByKeyDigest('digest-pk-1')).toEqual(expected);
      expect(await store.findShopByKeyDigest('digest-evil')).toBeUndefined();
      expect(await store.shopIdsWithOrigin('https://evil.example')).toEqual([]);
      expect(await restart(store).then((again) => again.getShop('shop_1'))).toEqual(expected);
    });

    it('updates a shop atomically, and its key index follows, across a restart', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      const updated = await store.updateShop('shop_1', (shop) => ({
        ...shop,
        origins: [...shop.origins, 'https://new.example'],
        keys: [shop.keys[0]!, keyRecord('key_new', 'digest-new')],
      }));
      expect(updated?.origins).toEqual(['https://shop1.example', 'https://new.example']);
      expect((await store.findShopByKeyDigest('digest-new'))?.id).toBe('shop_1');
      expect(await store.findShopByKeyDigest('digest-sk-1')).toBeUndefined();
      // An update that throws changes nothing; an unknown shop is undefined.
      await expect(store.updateShop('shop_1', () => { throw new Error('no'); })).rejects.toThrow('no');
      expect(await store.updateShop('shop_9', (s) => s)).toBeUndefined();
      // Concurrent updates of one shop each see the other's result.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.updateShop('shop_2', (shop) => ({ ...shop, origins: [...shop.origins, `https://o${i}.example`] }))),
      );
      store = await restart(store);
      expect((await store.getShop('shop_2'))?.origins).toHaveLength(21);
      expect((await store.findShopByKeyDigest('digest-new'))?.id).toBe('shop_1');
      expect(await store.findShopByKeyDigest('digest-sk-1')).toBeUndefined();
      expect((await store.getShop('shop_1'))?.origins).toContain('https://new.example');
    });

    it('creates then replaces a badge, scoped to its shop', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      expect(await store.putBadge('shop_1', regularBadge)).toEqual({ created: true });
      expect(await store.putBadge('shop_1', { ...regularBadge, name: 'Local' })).toEqual({ created: false });
      expect((await store.getBadge('shop_1', 'regular'))?.name).toBe('Local');
      expect(await store.getBadge('shop_2', 'regular')).toBeUndefined();
      expect(await store.listBadges('shop_2')).toEqual([]);
    });

    it('reports a repeated event id as duplicate with the first awards, and changes nothing', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', { ...regularBadge, criteria: { event: 'purchase', count: 1 } });
      const [first] = await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
      expect(first).toMatchObject({ id: 'e1', status: 'accepted', awards: [{ kind: 'badge', id: 'regular' }] });
      let calls = 0;
      const counting: Decide = (...args) => (calls++, decide(...args));
      const [again] = await store.recordEvents('shop_1', [purchaseEvent('e1')], counting);
      expect(again).toEqual({ ...first, status: 'duplicate' });
      expect(calls).toBe(0);
      expect((await store.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(1);
    });

    it('treats a repeated id inside one batch as a duplicate', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      const outcomes = await store.recordEvents('shop_1', [purchaseEvent('e1'), purchaseEvent('e1')], decide);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'duplicate']);
    });

    it('keeps event ids per shop: the same id in another shop is a different event', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      await store.recordEvents('shop_1', [purchaseEvent('e1')], decide);
      const [other] = await store.recordEvents('shop_2', [purchaseEvent('e1')], decide);
      expect(other!.status).toBe('accepted');
      expect((await store.getCustomer('shop_2', 'c1'))?.stats.purchase?.count).toBe(1);
      expect((await store.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(1);
    });

    it('grants a badge once when 100 concurrent events cross its threshold', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', regularBadge);
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.recordEvents('shop_1', [purchaseEvent(`e${i}`)], decide)),
      );
      const awards = outcomes.flat().flatMap((o) => o.awards);
      expect(awards.map((a) => a.id)).toEqual(['regular']);
      const customer = await store.getCustomer('shop_1', 'c1');
      expect(customer?.stats.purchase?.count).toBe(100);
      expect(Object.keys(customer!.badges)).toEqual(['regular']);
    });

    it('records batches naming the same customers in opposite orders, many at once, without deadlock', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', regularBadge);
      // Each pair: one batch A then B, the other B then A (as two backends sending at once would).
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.recordEvents('shop_1', i % 2 ? [purchaseEvent(`x${i}`, 'cA'), purchaseEvent(`y${i}`, 'cB')] : [purchaseEvent(`x${i}`, 'cB'), purchaseEvent(`y${i}`, 'cA')], decide),
        ),
      );
      expect(outcomes.flat().every((o) => o.status === 'accepted')).toBe(true);
      for (const id of ['cA', 'cB']) {
        const customer = await store.getCustomer('shop_1', id);
        expect(customer?.stats.purchase?.count).toBe(20);
        expect(Object.keys(customer!.badges)).toEqual(['regular']);
      }
      // The badge went once to each: its holder count says 2.
      expect(outcomes.flat().flatMap((o) => o.awards).map((a) => a.id)).toEqual(['regular', 'regular']);
    });

    it('keeps the events before one that decide refuses, records nothing of it and after it, and rethrows', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', { ...regularBadge, criteria: { event: 'purchase', count: 1 }, maxAwards: 5 });
      const refusing: Decide = (customer, event, badges) => {
        if (event.id === 'bad') throw new Error('refused by a rule');
        return decide(customer, event, badges);
      };
      const batch = [purchaseEvent('ok1', 'c1'), purchaseEvent('ok2', 'c2'), purchaseEvent('bad', 'c3'), purchaseEvent('after', 'c4')];
      await expect(store.recordEvents('shop_1', batch, refusing)).rejects.toThrow('refused by a rule');
      store = await restart(store);
      expect((await store.listCustomers('shop_1')).map((c) => c.customerId)).toEqual(['c1', 'c2']);
      // The ids of the refused event and the ones after it stay unseen: sent again, they count.
      const retry = await store.recordEvents('shop_1', batch, decide);
      expect(retry.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'accepted']);
      expect(retry.flatMap((o) => o.awards).map((a) => a.id)).toEqual(['regular', 'regular', 'regular', 'regular']);
      // Holder counts followed: one left under the cap of 5.
      const more = await store.recordEvents('shop_1', [purchaseEvent('c5', 'c5'), purchaseEvent('c6', 'c6')], decide);
      expect(more.map((o) => o.awards.length)).toEqual([1, 0]);
    });

    it('stores feature documents per shop and collection, and deletes them', async () => {
      const store = await fresh();
      const survey = { collection: 'surveys', id: 'checkout' };
      await store.updateDocuments('shop_1', [survey], () => ({ values: [{ question: 'Recommend us?' }], result: null }));
      expect(await store.getDocument('shop_1', survey)).toEqual({ question: 'Recommend us?' });
      expect(await store.getDocument('shop_2', survey)).toBeUndefined();
      expect(await store.listDocuments('shop_1', 'surveys')).toEqual([{ question: 'Recommend us?' }]);
      expect(await store.listDocuments('shop_1', 'campaigns')).toEqual([]);
      await store.updateDocuments('shop_1', [survey], () => ({ values: [undefined], result: null }));
      expect(await store.getDocument('shop_1', survey)).toBeUndefined();
    });

    it('updates several documents atomically, also under 100 concurrent updates', async () => {
      const store = await fresh();
      const refs = [
        { collection: 'counters', id: 'a' },
        { collection: 'counters', id: 'b' },
      ];
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          store.updateDocuments('shop_1', refs, ([a, b]) => {
            const next = ((a as number | undefined) ?? 0) + 1;
            return { values: [next, ((b as number | undefined) ?? 0) + 2], result: next };
          }),
        ),
      );
      expect(new Set(results).size).toBe(100);
      expect(await store.getDocument('shop_1', refs[0]!)).toBe(100);
      expect(await store.getDocument('shop_1', refs[1]!)).toBe(200);
    });

    it('changes nothing when an update throws, and hands back copies', async () => {
      const store = await fresh();
      const ref = { collection: 'stock', id: 'mug' };
      await store.updateDocuments('shop_1', [ref], () => ({ values: [{ left: 1 }], result: null }));
      await expect(
        store.updateDocuments('shop_1', [ref], () => {
          throw new Error('sold out');
        }),
      ).rejects.toThrow('sold out');
      const read = await store.getDocument<{ left: number }>('shop_1', ref);
      read!.left = 99;
      expect(await store.getDocument('shop_1', ref)).toEqual({ left: 1 });
    });

    it('counts badge holders so a capped badge goes to exactly maxAwards customers, also concurrently', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', { ...regularBadge, criteria: { event: 'purchase', count: 1 }, maxAwards: 3 });
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.recordEvents('shop_1', [purchaseEvent(`cap-${i}`, `c${i}`)], decide)),
      );
      expect(outcomes.flat().filter((o) => o.awards.length > 0)).toHaveLength(3);
    });

    it('counts badge holders within one batch too: a capped badge goes to exactly maxAwards of its customers', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', { ...regularBadge, criteria: { event: 'purchase', count: 1 }, maxAwards: 3 });
      const outcomes = await store.recordEvents('shop_1', Array.from({ length: 10 }, (_, i) => purchaseEvent(`cap-${i}`, `c${i}`)), decide);
      expect(outcomes.map((o) => o.awards.length)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    });

    it('keeps shops, badges, customers and seen event ids across a restart', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.putBadge('shop_1', regularBadge);
      await store.recordEvents('shop_1', ['e1', 'e2', 'e3'].map((id) => purchaseEvent(id)), decide);
      store = await restart(store);
      expect((await store.findShopByKeyDigest('digest-sk-1'))?.id).toBe('shop_1');
      expect((await store.getBadge('shop_1', 'regular'))?.name).toBe('Regular');
      expect(Object.keys((await store.getCustomer('shop_1', 'c1'))!.badges)).toEqual(['regular']);
      const [replay] = await store.recordEvents('shop_1', [purchaseEvent('e3')], decide);
      expect(replay).toMatchObject({ status: 'duplicate', awards: [{ id: 'regular' }] });
    });

    it('treats ids named like Object.prototype members as plain ids, also after a restart', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      const [first] = await store.recordEvents('shop_1', [purchaseEvent('constructor', 'toString')], decide);
      expect(first!.status).toBe('accepted');
      expect((await store.getCustomer('shop_1', 'toString'))?.stats.purchase?.count).toBe(1);
      expect(await store.getCustomer('shop_1', 'hasOwnProperty')).toBeUndefined();
      const ref = { collection: 'surveys', id: '__proto__' };
      await store.updateDocuments('shop_1', [ref], () => ({ values: [{ n: 1 }], result: null }));
      expect(await store.getDocument('shop_1', ref)).toEqual({ n: 1 });
      store = await restart(store);
      expect(await store.getDocument('shop_1', ref)).toEqual({ n: 1 });
      const [again] = await store.recordEvents('shop_1', [purchaseEvent('constructor', 'toString')], decide);
      expect(again!.status).toBe('duplicate');
      const [other] = await store.recordEvents('shop_1', [purchaseEvent('valueOf', 'c2')], decide);
      expect(other!.status).toBe('accepted');
    });

    it('lists customers page by page in id order, per shop', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      await store.recordEvents('shop_1', ['c3', 'c1', 'c2'].map((c) => purchaseEvent(`e-${c}`, c)), decide);
      await store.recordEvents('shop_2', [purchaseEvent('e-x', 'x9')], decide);
      const first = await store.listCustomers('shop_1', { limit: 2 });
      expect(first.map((c) => c.customerId)).toEqual(['c1', 'c2']);
      const next = await store.listCustomers('shop_1', { after: 'c2', limit: 2 });
      expect(next.map((c) => c.customerId)).toEqual(['c3']);
      expect(await store.listCustomers('shop_1', { after: 'c3' })).toEqual([]);
      expect((await store.listCustomers('shop_2')).map((c) => c.customerId)).toEqual(['x9']);
      expect(await store.listCustomers('shop_3')).toEqual([]);
    });

    it('deletes a customer for good, in its shop only, and a retried event stays a duplicate', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      await store.recordEvents('shop_1', [purchaseEvent('e1', 'c1'), purchaseEvent('e2', 'c2')], decide);
      await store.recordEvents('shop_2', [purchaseEvent('e1', 'c1')], decide);
      expect(await store.deleteCustomer('shop_1', 'c1')).toBe(true);
      expect(await store.deleteCustomer('shop_1', 'c1')).toBe(false);
      expect(await store.deleteCustomer('shop_1', 'constructor')).toBe(false);
      expect(await store.getCustomer('shop_1', 'c1')).toBeUndefined();
      expect((await store.getCustomer('shop_2', 'c1'))?.stats.purchase?.count).toBe(1);
      store = await restart(store);
      expect(await store.getCustomer('shop_1', 'c1')).toBeUndefined();
      expect((await store.listCustomers('shop_1')).map((c) => c.customerId)).toEqual(['c2']);
      const [retry] = await store.recordEvents('shop_1', [purchaseEvent('e1', 'c1')], decide);
      expect(retry!.status).toBe('duplicate');
      expect(await store.getCustomer('shop_1', 'c1')).toBeUndefined();
    });

    it('refuses an id seen before with another fingerprint, recording nothing of the batch; the same fingerprint is a duplicate', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.recordEvents('shop_1', [{ ...purchaseEvent('e1'), fingerprint: 'A' }], decide);
      const batch = [purchaseEvent('e2'), { ...purchaseEvent('e1'), fingerprint: 'B' }];
      const refused = await store.recordEvents('shop_1', batch, decide).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(EventConflict);
      expect((refused as EventConflict).indexes).toEqual([1]);
      expect((await store.getCustomer('shop_1', 'c1'))?.stats.purchase?.count).toBe(1);
      // Inside one batch too.
      await expect(store.recordEvents('shop_1', [{ ...purchaseEvent('e3'), fingerprint: 'A' }, { ...purchaseEvent('e3'), fingerprint: 'B' }], decide)).rejects.toBeInstanceOf(EventConflict);
      store = await restart(store);
      const outcomes = await store.recordEvents('shop_1', [purchaseEvent('e2'), { ...purchaseEvent('e1'), fingerprint: 'A' }], decide);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'duplicate']);
      await expect(store.recordEvents('shop_1', [{ ...purchaseEvent('e1'), fingerprint: 'B' }], decide)).rejects.toBeInstanceOf(EventConflict);
    });

    it('keeps browser ids apart from backend ids', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.recordEvents('shop_1', [browserEvent('purchase-1', 'c1')], decide, roomy);
      const [backend] = await store.recordEvents('shop_1', [purchaseEvent('purchase-1')], decide);
      expect(backend!.status).toBe('accepted');
      const [again] = await store.recordEvents('shop_1', [browserEvent('purchase-1', 'c1')], decide, roomy);
      expect(again!.status).toBe('duplicate');
    });

    it('past a browser limit records nothing of the batch, for that shop only, also after a restart', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      const limits: BrowserLimits = { ...roomy, events: 3, anonymousVisitors: 2 };
      await store.recordEvents('shop_1', ['b1', 'b2', 'b3'].map((id) => browserEvent(id, '~anon:visitor1')), decide, limits);
      const over = await store.recordEvents('shop_1', [browserEvent('b1', '~anon:visitor1'), browserEvent('b4', '~anon:visitor1')], decide, limits).catch((e: unknown) => e);
      expect(over).toBeInstanceOf(QuotaExceeded);
      expect(over).toMatchObject({ quota: 'events', limit: 3 });
      // Known ids are still answered; another shop and backend events are not limited.
      expect((await store.recordEvents('shop_1', [browserEvent('b2', '~anon:visitor1')], decide, limits))[0]!.status).toBe('duplicate');
      expect((await store.recordEvents('shop_2', [browserEvent('b4', '~anon:visitor1')], decide, limits))[0]!.status).toBe('accepted');
      expect((await store.recordEvents('shop_1', [purchaseEvent('p1')], decide))[0]!.status).toBe('accepted');
      store = await restart(store);
      await expect(store.recordEvents('shop_1', [browserEvent('b5', '~anon:visitor1')], decide, limits)).rejects.toBeInstanceOf(QuotaExceeded);
      const visitors = { ...roomy, anonymousVisitors: 2 };
      await store.recordEvents('shop_2', [browserEvent('v2', '~anon:visitor2')], decide, visitors);
      const crowd = await store.recordEvents('shop_2', [browserEvent('v3', '~anon:visitor3')], decide, visitors).catch((e: unknown) => e);
      expect(crowd).toMatchObject({ quota: 'anonymousVisitors', limit: 2 });
      expect(await store.getCustomer('shop_2', '~anon:visitor3')).toBeUndefined();
    });

    it('checks a batch against the browser limits without recording it', async () => {
      const store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop(shopFixture(2));
      const limits: BrowserLimits = { ...roomy, events: 1, anonymousVisitors: 1 };
      await store.checkLimits('shop_1', [browserEvent('b1', '~anon:visitor1')], limits);
      expect(await store.getCustomer('shop_1', '~anon:visitor1')).toBeUndefined();
      await store.recordEvents('shop_1', [browserEvent('b1', '~anon:visitor1')], decide, limits);
      // Known ids and visitors pass; a new id or a new visitor does not, in this shop only.
      await store.checkLimits('shop_1', [browserEvent('b1', '~anon:visitor1')], limits);
      await expect(store.checkLimits('shop_1', [browserEvent('b2', '~anon:visitor1')], limits)).rejects.toMatchObject({ quota: 'events' });
      await expect(store.checkLimits('shop_1', [{ ...purchaseEvent('p1'), customerId: '~anon:visitor2' }], limits)).rejects.toMatchObject({ quota: 'anonymousVisitors' });
      await store.checkLimits('shop_2', [browserEvent('b2', '~anon:visitor2')], limits);
      await store.checkLimits('shop_1', [purchaseEvent('p1')], limits);
    });

    it('keeps documents, and their deletion, across a restart', async () => {
      let store = await fresh();
      const kept = { collection: 'surveys', id: 'kept' };
      const gone = { collection: 'surveys', id: 'gone' };
      await store.updateDocuments('shop_1', [kept, gone], () => ({ values: [{ n: 1 }, { n: 2 }], result: null }));
      await store.updateDocuments('shop_1', [gone], () => ({ values: [undefined], result: null }));
      store = await restart(store);
      expect(await store.listDocuments('shop_1', 'surveys')).toEqual([{ n: 1 }]);
    });

    it('finds the shops that registered an origin through an index that follows updates, also after a restart', async () => {
      let store = await fresh();
      await store.createShop(shopFixture(1));
      await store.createShop({ ...shopFixture(2), origins: ['https://shop2.example', 'https://shared.example'] });
      await store.createShop({ ...shopFixture(3), origins: ['https://shared.example'] });
      expect(await store.shopIdsWithOrigin('https://shop1.example')).toEqual(['shop_1']);
      expect(await store.shopIdsWithOrigin('https://shared.example')).toEqual(['shop_2', 'shop_3']);
      expect(await store.shopIdsWithOrigin('https://nobody.example')).toEqual([]);
      await store.updateShop('shop_3', (shop) => ({ ...shop, origins: ['https://moved.example'] }));
      await expect(store.updateShop('shop_1', () => { throw new Error('no'); })).rejects.toThrow('no');
      store = await restart(store);
      expect(await store.shopIdsWithOrigin('https://shared.example')).toEqual(['shop_2']);
      expect(await store.shopIdsWithOrigin('https://moved.example')).toEqual(['shop_3']);
      expect(await store.shopIdsWithOrigin('https://shop1.example')).toEqual(['shop_1']);
    });

    it('finds documents through declared lookups, in one shop or all, by key or up to a bound, as writes change them', async () => {
      let store = await fresh({ lookups: thingLookups });
      const ref = (id: string) => ({ collection: 'things', id });
      const put = (shopId: string, id: string, value: unknown) => store.updateDocuments(shopId, [ref(id)], () => ({ values: [value], result: null }));
      await put('shop_1', 'a', { owner: 'ann', helpers: ['bob', 'ann'], due: '2026-11-01T10:00:00.000Z' });
      await put('shop_1', 'b', { owner: 'bob', due: '2026-11-01T09:00:00.000Z' });
      await put('shop_2', 'a', { owner: 'ann', due: '2026-11-01T08:00:00.000Z' });
      await put('shop_2', 'c', { owner: 'cat' });
      // A document of another collection with the same shape is not found.
      await store.updateDocuments('shop_1', [{ collection: 'other', id: 'x' }], () => ({ values: [{ owner: 'ann' }], result: null }));
      const ids = (found: { shopId: string; id: string }[]) => found.map((f) => `${f.shopId}/${f.id}`);

      // A key the lookup gives twice finds the document once.
      expect(await store.findDocuments(thingsByOwner, { shopId: 'shop_1', equals: 'ann' })).toEqual([
        { shopId: 'shop_1', id: 'a', key: 'ann', value: { owner: 'ann', helpers: ['bob', 'ann'], due: '2026-11-01T10:00:00.000Z' } },
      ]);
      expect(ids(await store.findDocuments(thingsByOwner, { shopId: 'shop_1', equals: 'bob' }))).toEqual(['shop_1/a', 'shop_1/b']);
      expect(ids(await store.findDocuments(thingsByOwner, { equals: 'ann' }))).toEqual(['shop_1/a', 'shop_2/a']);
      expect(await store.findDocuments(thingsByOwner, { equals: 'nobody' })).toEqual([]);
      // Ranges come smallest key first, across shops or in one, with a limit.
      expect(ids(await store.findDocuments(thingsDue, { upTo: '2026-11-01T09:30:00.000Z' }))).toEqual(['shop_2/a', 'shop_1/b']);
      expect(ids(await store.findDocuments(thingsDue, { upTo: '9999', limit: 2 }))).toEqual(['shop_2/a', 'shop_1/b']);
      expect(ids(await store.findDocuments(thingsDue, { shopId: 'shop_1', upTo: '9999' }))).toEqual(['shop_1/b', 'shop_1/a']);
      expect((await store.findDocuments(thingsDue, { shopId: 'shop_1', upTo: '9999' })).map((f) => f.key)).toEqual([
        '2026-11-01T09:00:00.000Z',
        '2026-11-01T10:00:00.000Z',
      ]);

      // Updates move a document between keys; deletes and failed updates leave no stale entry.
      await put('shop_1', 'b', { owner: 'dan', due: '2026-11-01T09:00:00.000Z', done: true });
      await store.updateDocuments('shop_2', [ref('a'), ref('c')], () => ({ values: [undefined, { owner: 'ann' }], result: null }));
      await expect(store.updateDocuments('shop_1', [ref('a')], () => { throw new Error('no'); })).rejects.toThrow('no');
      const check = async (s: Store) => {
        expect(ids(await s.findDocuments(thingsByOwner, { shopId: 'shop_1', equals: 'bob' }))).toEqual(['shop_1/a']);
        expect(ids(await s.findDocuments(thingsByOwner, { equals: 'dan' }))).toEqual(['shop_1/b']);
        expect(ids(await s.findDocuments(thingsByOwner, { equals: 'ann' }))).toEqual(['shop_1/a', 'shop_2/c']);
        expect(ids(await s.findDocuments(thingsDue, { upTo: '9999' }))).toEqual(['shop_1/a']);
      };
      await check(store);
      // Found values are copies.
      const [found] = await store.findDocuments<{ owner: string }>(thingsByOwner, { equals: 'dan' });
      found!.value.owner = 'mallory';
      expect(ids(await store.findDocuments(thingsByOwner, { equals: 'dan' }))).toEqual(['shop_1/b']);

      store = await restart(store, { lookups: thingLookups });
      await check(store);
      // A lookup declared later is built over the documents already there.
      store = await restart(store, { lookups: [...thingLookups, thingsById] });
      expect(ids(await store.findDocuments(thingsById, { equals: 'a' }))).toEqual(['shop_1/a']);
      expect(ids(await store.findDocuments(thingsById, { upTo: 'z' }))).toEqual(['shop_1/a', 'shop_1/b', 'shop_2/c']);
      await check(store);
      // A lookup the store was not opened with is refused rather than answered empty.
      store = await restart(store, { lookups: thingLookups });
      await expect(store.findDocuments(thingsById, { equals: 'a' })).rejects.toThrow(/no document lookup "test-things.id"/);
    });

    it('keeps lookups right under 100 concurrent updates of the same documents', async () => {
      const store = await fresh({ lookups: thingLookups });
      const refs = ['x', 'y'].map((id) => ({ collection: 'things', id }));
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.updateDocuments('shop_1', refs, () => ({
            values: [{ owner: `o${i}`, due: `2026-11-01T10:${String(i % 60).padStart(2, '0')}:00.000Z` }, i % 2 ? undefined : { owner: `o${i}` }],
            result: null,
          })),
        ),
      );
      const [x, y] = await Promise.all(refs.map((r) => store.getDocument<{ owner: string }>('shop_1', r)));
      const owners = await store.findDocuments<{ owner: string }>(thingsByOwner, { shopId: 'shop_1', upTo: '~' });
      // Exactly the last writer's keys remain.
      expect(owners.map((f) => `${f.id}:${f.key}`).sort()).toEqual([`x:${x!.owner}`, ...(y ? [`y:${y.owner}`] : [])].sort());
      expect((await store.findDocuments(thingsDue, { upTo: '9999' })).map((f) => f.id)).toEqual(['x']);
    });

    it('claims due documents once each, smallest key first, also with concurrent claimers', async () => {
      const store = await fresh({ lookups: thingLookups });
      const due = (i: number) => `2026-11-01T10:${String(i).padStart(2, '0')}:00.000Z`;
      for (let i = 0; i < 12; i++) {
        await store.updateDocuments(i % 2 ? 'shop_1' : 'shop_2', [{ collection: 'things', id: `t${i}` }], () => ({ values: [{ due: due(i) }], result: null }));
      }
      type Thing = { due: string; done?: boolean; by?: number };
      // One claimer alone: the smallest keys up to the bound, across shops; a refusal leaves the document due.
      const first = await store.claimDocuments<Thing>(thingsDue, { upTo: due(5), limit: 3 }, (thing, _shopId, id) =>
        id === 't1' ? undefined : { ...thing, done: true, by: 0 },
      );
      // The limit bounds the documents looked at, claimed or not.
      expect(first.map((c) => `${c.shopId}/${c.id}`)).toEqual(['shop_2/t0', 'shop_2/t2']);
      expect(first[0]).toMatchObject({ key: due(0), value: { due: due(0), done: true, by: 0 } });
      expect(await store.getDocument('shop_2', { collection: 'things', id: 't2' })).toEqual({ due: due(2), done: true, by: 0 });
      expect((await store.findDocuments(thingsDue, { upTo: due(99) })).map((f) => f.id)).toEqual(['t1', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 't10', 't11']);
      // Five claimers at once: every due document goes to exactly one of them.
      const claims = await Promise.all(
        Array.from({ length: 5 }, (_, n) => store.claimDocuments<Thing>(thingsDue, { upTo: due(99), limit: 3 }, (thing) => ({ ...thing, done: true, by: n + 1 }))),
      );
      const claimed = claims.flat().map((c) => c.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.length).toBeLessThanOrEqual(10);
      // What no claimer got (skipped while another held it) is still due, and a later claim takes it.
      const rest = await store.claimDocuments<Thing>(thingsDue, { upTo: due(99), limit: 99 }, (thing) => ({ ...thing, done: true, by: 9 }));
      expect([...claimed, ...rest.map((c) => c.id)].sort()).toEqual(['t1', 't10', 't11', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
      for (const c of claims.flat()) expect((await store.getDocument<Thing>(c.shopId, { collection: 'things', id: c.id }))?.by).toBe(c.value.by);
      expect(await store.findDocuments(thingsDue, { upTo: due(99) })).toEqual([]);
    });
  });
}
