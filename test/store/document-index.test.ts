// The lowdb store's in-memory lookups (server/store/document-index.ts): writes are sorted in
// by the next query, so a document written and deleted in between (a batch's follow-ups)
// costs no sorting. What a query answers must be as if every write had been sorted in at once:
// equal keys in the order their documents were created, a document re-created after a delete
// after every other, a document gone before any query nowhere.
import { describe, expect, it } from 'vitest';
import { DocumentIndex } from '../../server/store/document-index.js';
import type { DocumentLookup } from '../../server/store/store.js';

const BY_TAG: DocumentLookup = { name: 'notes.tag', version: 1, collection: 'notes', keys: (note) => (note as { tags: string[] }).tags };
const ids = (index: DocumentIndex, tag: string, shopId?: string) => index.find(BY_TAG, { equals: tag, ...(shopId && { shopId }) }).map(([, shop, id]) => `${shop}/${id}`);

describe('DocumentIndex', () => {
  it('answers in creation order whatever the writes between two queries', () => {
    const index = new DocumentIndex([BY_TAG]);
    index.put('s1', 'notes', 'a', { tags: ['x'] });
    index.put('s2', 'notes', 'b', { tags: ['x'] });
    index.put('s1', 'notes', 'c', { tags: ['x', 'y'] });
    // Updated before any query: keeps its place (created first), takes its new keys.
    index.put('s1', 'notes', 'a', { tags: ['x', 'y'] });
    expect(ids(index, 'x')).toEqual(['s1/a', 's2/b', 's1/c']);
    expect(ids(index, 'y')).toEqual(['s1/a', 's1/c']);
    expect(ids(index, 'x', 's1')).toEqual(['s1/a', 's1/c']);

    // Deleted and created again: after every other, also when both happen between two queries.
    index.put('s2', 'notes', 'b', undefined);
    index.put('s1', 'notes', 'd', { tags: ['x'] });
    index.put('s2', 'notes', 'b', { tags: ['x'] });
    expect(ids(index, 'x')).toEqual(['s1/a', 's1/c', 's1/d', 's2/b']);

    // Written and deleted between two queries: nowhere; an update that drops a key leaves it.
    index.put('s1', 'notes', 'gone', { tags: ['x', 'z'] });
    index.put('s1', 'notes', 'gone', null);
    index.put('s1', 'notes', 'c', { tags: ['y'] });
    expect(ids(index, 'x')).toEqual(['s1/a', 's1/d', 's2/b']);
    expect(ids(index, 'z')).toEqual([]);
    expect(ids(index, 'y')).toEqual(['s1/a', 's1/c']);
  });

  it('does not index a document written and deleted between two queries', () => {
    let read = 0;
    const counted: DocumentLookup = { ...BY_TAG, keys: (note) => (read++, (note as { tags: string[] }).tags) };
    const index = new DocumentIndex([counted]);
    for (let i = 0; i < 100; i++) {
      index.put('s1', 'notes', `f${i}`, { tags: [`e${i}`, 'pending'] });
      index.put('s1', 'notes', `f${i}`, undefined);
    }
    expect(index.find(counted, { equals: 'pending' })).toEqual([]);
    expect(read).toBe(0);
  });

  it('a rebuild forgets the writes not sorted in yet: the data it is given is the truth', () => {
    const index = new DocumentIndex([BY_TAG]);
    index.put('s1', 'notes', 'a', { tags: ['x'] });
    index.rebuild({ s1: { notes: { b: { tags: ['x'] } } } });
    expect(ids(index, 'x')).toEqual(['s1/b']);
    index.put('s1', 'notes', 'c', { tags: ['x'] });
    expect(ids(index, 'x')).toEqual(['s1/b', 's1/c']);
  });
});
