// Document collections and lookups come from the feature registry: each feature
// declares every collection it owns, with the lookups they need (server/features.ts),
// the server opens its store with them (createStore's `collections` and `lookups`), and
// the stores never import a feature. So a new feature's lookup is indexed by lowdb and
// PostgreSQL alike without touching store code, a lookup nobody declared fails loudly,
// never as a scan, and so does a read or write of a collection nobody declared.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { declaredDocuments, type DeclaredDocuments, type Feature } from '../../server/feature-kit.js';
import { featureDocuments, FEATURES } from '../../server/features.js';
import { STOCK_BY_CUSTOMER } from '../../server/products/lookups.js';
import { GROUPS_BY_MEMBER, MEMBERSHIPS_BY_CUSTOMER } from '../../server/share-save/lookups.js';
import { createStore } from '../../server/store/create-store.js';
import type { DocumentLookup, Store } from '../../server/store/store.js';
import { dropSchemas, freshSchema, NO_DATABASE } from '../helpers/pg.js';
import { tempDir } from '../helpers/server.js';
import { shopFixture } from './contract.js';

/** A feature that exists only here: its collection and lookups are nowhere in the server. */
const NOTES_BY_AUTHOR: DocumentLookup = {
  name: 'test-notes.author',
  version: 1,
  collection: 'test-notes',
  keys: (note) => [(note as { author: string }).author],
};
/** Declared by no feature: a store must refuse it. */
const NOTES_BY_TAG: DocumentLookup = { name: 'test-notes.tag', version: 1, collection: 'test-notes', keys: (note) => (note as { tags: string[] }).tags };
const notesFeature: Feature = { name: 'test-notes', collections: [{ name: 'test-notes', lookups: [NOTES_BY_AUTHOR] }] };

describe('the lookups the features declare', () => {
  it('each sit under the collection they index, with a name of their own', () => {
    const { lookups } = featureDocuments();
    expect(lookups.length).toBeGreaterThanOrEqual(11);
    for (const feature of FEATURES) for (const c of feature.collections ?? []) for (const l of c.lookups ?? []) expect(l.collection, l.name).toBe(c.name);
    expect(new Set(lookups.map((l) => l.name)).size).toBe(lookups.length);
  });

  it('refuse a lookup filed under another collection, or one name declared twice', () => {
    const misfiled: Feature = { name: 'x', collections: [{ name: 'other', lookups: [NOTES_BY_AUTHOR] }] };
    expect(() => declaredDocuments([misfiled])).toThrow(/lookup "test-notes.author" indexes collection "test-notes", yet is declared under "other"/);
    const twin: Feature = { name: 'twin', collections: [{ name: 'test-notes-2', lookups: [{ ...NOTES_BY_AUTHOR, collection: 'test-notes-2' }] }] };
    expect(() => declaredDocuments([notesFeature, twin])).toThrow(/"test-notes.author" is declared by both test-notes and twin/);
  });

  it('find a group by its owner and members, stock by holders and buyers, memberships by customer', () => {
    expect(GROUPS_BY_MEMBER.keys({ ownerId: 'a', members: [{ customerId: 'a' }, { customerId: 'b' }] }, 'G1')).toEqual(['a', 'b']);
    expect(STOCK_BY_CUSTOMER.keys({ holds: { t1: { customer: 'a' } }, sales: { t2: { customer: 'b' }, t3: { customer: 'a' } } }, 'p')).toEqual(['a', 'b']);
    expect(MEMBERSHIPS_BY_CUSTOMER.keys({}, 'spring/email:x/y')).toEqual(['email:x/y']);
  });
});

const stores: { name: string; skip: boolean; config: () => Promise<{ dataFile: string; databaseUrl?: string }> }[] = [
  { name: 'lowdb', skip: false, config: async () => ({ dataFile: join(tempDir(), 'kudos.json') }) },
  { name: 'PostgreSQL', skip: NO_DATABASE, config: async () => ({ dataFile: '', databaseUrl: (await freshSchema('lookups')).url }) },
];

for (const kind of stores) {
  describe.skipIf(kind.skip)(`a ${kind.name} store opened through createStore`, () => {
    const open: Store[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(dropSchemas);
    const openStore = async (config: { dataFile: string; databaseUrl?: string }, documents: DeclaredDocuments) => {
      const store = await createStore(config, documents);
      open.push(store);
      return store;
    };
    const note = (store: Store, id: string, value: unknown) =>
      store.updateDocuments('shop_1', [{ collection: 'test-notes', id }], () => ({ values: [value], result: null }));

    it('indexes a lookup declared only by a feature entry, and answers it across restarts', async () => {
      const config = await kind.config();
      let store = await openStore(config, declaredDocuments([...FEATURES, notesFeature]));
      await store.createShop(shopFixture(1));
      await note(store, 'n1', { author: 'ann', tags: ['x'] });
      await note(store, 'n2', { author: 'bob', tags: ['x'] });
      await note(store, 'n3', { author: 'ann', tags: [] });
      await note(store, 'n2', { author: 'ann', tags: ['x'] });
      const byAnn = async (s: Store) => (await s.findDocuments(NOTES_BY_AUTHOR, { equals: 'ann', shopId: 'shop_1' })).map((f) => f.id);
      expect(await byAnn(store)).toEqual(['n1', 'n2', 'n3']);
      expect(await store.findDocuments(NOTES_BY_AUTHOR, { equals: 'bob' })).toEqual([]);

      await store.close();
      open.splice(0);
      store = await openStore(config, declaredDocuments([...FEATURES, notesFeature]));
      expect(await byAnn(store)).toEqual(['n1', 'n2', 'n3']);
    });

    it('refuses a lookup no feature declared, saying where to declare it', async () => {
      const config = await kind.config();
      const store = await openStore(config, declaredDocuments([...FEATURES, notesFeature]));
      await store.createShop(shopFixture(1));
      await note(store, 'n1', { author: 'ann', tags: ['x'] });
      const undeclared = /no document lookup "test-notes\.tag" in this store: declare it with its collection "test-notes" in a feature's `collections` \(server\/features\.ts\)/;
      await expect(store.findDocuments(NOTES_BY_TAG, { equals: 'x' })).rejects.toThrow(undeclared);
      await expect(store.claimDocuments(NOTES_BY_TAG, { upTo: 'x', limit: 1 }, (v) => v)).rejects.toThrow(/no document lookup "test-notes\.tag"/);
    });

    it('answers only what its features declare: without the feature, its lookup is refused too', async () => {
      const store = await openStore(await kind.config(), featureDocuments());
      await expect(store.findDocuments(NOTES_BY_AUTHOR, { equals: 'ann' })).rejects.toThrow(/no document lookup "test-notes\.author"/);
    });

    it('refuses to read or write a collection no feature declared, saying where to declare it, and writes nothing', async () => {
      const config = await kind.config();
      let store = await openStore(config, featureDocuments());
      await store.createShop(shopFixture(1));
      const undeclared = /no document collection "test-notes" in this store: declare it in its feature's `collections` in server\/features\.ts/;
      await expect(note(store, 'n1', { author: 'ann', tags: [] })).rejects.toThrow(undeclared);
      await expect(store.getDocument('shop_1', { collection: 'test-notes', id: 'n1' })).rejects.toThrow(undeclared);
      await expect(store.listDocuments('shop_1', 'test-notes')).rejects.toThrow(undeclared);
      // With a declared one in the same update: neither is written.
      const mixed = [{ collection: 'surveys', id: 's1' }, { collection: 'test-notes', id: 'n1' }];
      await expect(store.updateDocuments('shop_1', mixed, () => ({ values: [{ id: 's1' }, { author: 'ann' }], result: null }))).rejects.toThrow(undeclared);
      expect(await store.listDocuments('shop_1', 'surveys')).toEqual([]);
      // `kudos store copy` into it: refused whole, before anything lands.
      const fresh = await openStore(await kind.config(), featureDocuments());
      const copy = [
        { kind: 'document' as const, shopId: 'shop_1', collection: 'surveys', id: 's1', value: { id: 's1' } },
        { kind: 'document' as const, shopId: 'shop_1', collection: 'test-notes', id: 'n1', value: { author: 'ann' } },
      ];
      await expect(fresh.load(copy)).rejects.toThrow(undeclared);
      expect(await fresh.dump()).toEqual([]);
      // The same store opened with the feature that declares it: all of it works.
      await store.close();
      open.splice(open.indexOf(store), 1);
      store = await openStore(config, declaredDocuments([...FEATURES, notesFeature]));
      await note(store, 'n1', { author: 'ann', tags: [] });
      expect(await store.listDocuments('shop_1', 'test-notes')).toEqual([{ author: 'ann', tags: [] }]);
    });
  });
}
