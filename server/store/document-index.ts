// The lowdb store's document lookups, in memory: per lookup, its entries sorted
// by key, then by document age (as PostgreSQL orders them by created_seq), in one
// array for queries across shops and one per shop, found by binary search. Kept in step with every document write (`put`) and rebuilt
// from the data when the store opens or rolls back. A write is noted and sorted in
// by the next query (a binary search and a splice per key: a memmove, microseconds
// at 100 k entries), so a document written and deleted before any query (a batch's
// after-record follow-ups: issue 20, 3.5 % of batched ingest CPU) costs no sorting;
// a query costs what it returns, plus the writes since the last one.
import { checkedLookups, undeclaredLookup } from './lookups.js';
import type { DocumentLookup, DocumentQuery } from './store.js';
import { lowerBound } from '../sorted.js';

/** [key, shopId, id, seq]: seq numbers documents in the order they were created. */
type Entry = readonly [string, string, string, number];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Key, then the older document first (seq is unique per document, so this is a total order). */
const byKey = (a: Entry, b: Entry) => cmp(a[0], b[0]) || a[3] - b[3];
const global = byKey;
const local = byKey;

const positionOf = (list: readonly Entry[], probe: Entry, order: (a: Entry, b: Entry) => number): number => lowerBound(list, (e) => order(e, probe) < 0);

function insert(list: Entry[], entry: Entry, order: (a: Entry, b: Entry) => number): void {
  list.splice(positionOf(list, entry, order), 0, entry);
}

function remove(list: Entry[] | undefined, entry: Entry, order: (a: Entry, b: Entry) => number): void {
  if (!list) return;
  const at = positionOf(list, entry, order);
  if (at < list.length && order(list[at]!, entry) === 0) list.splice(at, 1);
}

/** The keys a lookup gives a document, once each (a document is found once per key). */
export const keysOf = (lookup: DocumentLookup, value: unknown, id: string): string[] =>
  value === undefined || value === null ? [] : [...new Set(lookup.keys(value, id))];

export class DocumentIndex {
  private readonly byCollection = new Map<string, DocumentLookup[]>();
  private readonly known = new Set<DocumentLookup>();
  private all = new Map<string, Entry[]>();
  private perShop = new Map<string, Entry[]>();
  /** shop \0 collection \0 id → its seq and the (lookup, key) pairs it is indexed under now. */
  private held = new Map<string, { seq: number; keys: [string, string][] }>();
  /**
   * Writes not sorted in yet, by document: its latest value and its seq, given when
   * it was written (undefined: deleted), so the order among equal keys is the order
   * of creation, whenever a query sorts them in.
   */
  private unsorted = new Map<string, { shopId: string; collection: string; id: string; value: unknown; seq: number | undefined }>();
  private nextSeq = 0;

  constructor(lookups: readonly DocumentLookup[]) {
    for (const lookup of checkedLookups(lookups)) {
      this.known.add(lookup);
      const list = this.byCollection.get(lookup.collection) ?? [];
      list.push(lookup);
      this.byCollection.set(lookup.collection, list);
    }
  }

  has(lookup: DocumentLookup): boolean {
    return this.known.has(lookup);
  }

  /** The document `id` now has `value` (undefined: deleted). */
  put(shopId: string, collection: string, id: string, value: unknown): void {
    if (!this.byCollection.has(collection)) return;
    const docKey = `${shopId}\u0000${collection}\u0000${id}`;
    const noted = this.unsorted.get(docKey);
    const gone = value === undefined || value === null;
    // A document keeps its place among equal keys for as long as it exists; a new one comes after every other.
    const existing = noted ? noted.seq : this.held.get(docKey)?.seq;
    const seq = gone ? undefined : (existing ?? this.nextSeq++);
    if (gone && !this.held.has(docKey)) this.unsorted.delete(docKey);
    else if (noted) Object.assign(noted, { value, seq });
    else this.unsorted.set(docKey, { shopId, collection, id, value, seq });
  }

  /** Sorts in the writes noted since the last query. */
  private sortIn(): void {
    for (const [docKey, { shopId, collection, id, value, seq }] of this.unsorted) {
      const before = this.held.get(docKey);
      for (const [name, key] of before?.keys ?? []) {
        const entry: Entry = [key, shopId, id, before!.seq];
        remove(this.all.get(name), entry, global);
        remove(this.perShop.get(`${name}\u0000${shopId}`), entry, local);
      }
      if (seq === undefined) {
        this.held.delete(docKey);
        continue;
      }
      const now: [string, string][] = [];
      for (const lookup of this.byCollection.get(collection)!) {
        for (const key of keysOf(lookup, value, id)) {
          const entry: Entry = [key, shopId, id, seq];
          insert(this.listOf(this.all, lookup.name), entry, global);
          insert(this.listOf(this.perShop, `${lookup.name}\u0000${shopId}`), entry, local);
          now.push([lookup.name, key]);
        }
      }
      this.held.set(docKey, { seq, keys: now });
    }
    this.unsorted.clear();
  }

  /** From scratch: shopId → collection → id → document. Sorts once instead of inserting one by one. */
  rebuild(documents: Record<string, Record<string, Record<string, unknown>>>): void {
    this.all = new Map();
    this.perShop = new Map();
    this.held = new Map();
    this.unsorted = new Map();
    this.nextSeq = 0;
    // Objects iterate in insertion order (integer-like ids first): creation order again after a restart.
    for (const shopId in documents) {
      for (const collection in documents[shopId]) {
        const lookups = this.byCollection.get(collection);
        if (!lookups) continue;
        const docs = documents[shopId]![collection]!;
        for (const id in docs) {
          const seq = this.nextSeq++;
          const now: [string, string][] = [];
          for (const lookup of lookups) {
            for (const key of keysOf(lookup, docs[id], id)) {
              const entry: Entry = [key, shopId, id, seq];
              this.listOf(this.all, lookup.name).push(entry);
              this.listOf(this.perShop, `${lookup.name}\u0000${shopId}`).push(entry);
              now.push([lookup.name, key]);
            }
          }
          this.held.set(`${shopId}\u0000${collection}\u0000${id}`, { seq, keys: now });
        }
      }
    }
    for (const list of this.all.values()) list.sort(global);
    for (const list of this.perShop.values()) list.sort(local);
  }

  /** Matches as [key, shopId, id, seq], smallest key first, then the oldest document. */
  find(lookup: DocumentLookup, query: DocumentQuery): Entry[] {
    if (!this.known.has(lookup)) throw undeclaredLookup(lookup);
    if (this.unsorted.size > 0) this.sortIn();
    const scoped = query.shopId !== undefined;
    const list = scoped ? this.perShop.get(`${lookup.name}\u0000${query.shopId}`) : this.all.get(lookup.name);
    if (!list) return [];
    const equals = 'equals' in query ? query.equals : undefined;
    const start = equals === undefined ? 0 : positionOf(list, [equals, '', '', -Infinity], scoped ? local : global);
    const limit = query.limit ?? Infinity;
    const out: Entry[] = [];
    for (let i = start; i < list.length && out.length < limit; i++) {
      const entry = list[i]!;
      if (equals !== undefined ? entry[0] !== equals : entry[0] > (query as { upTo: string }).upTo) break;
      out.push(entry);
    }
    return out;
  }

  private listOf(map: Map<string, Entry[]>, name: string): Entry[] {
    let list = map.get(name);
    if (!list) map.set(name, (list = []));
    return list;
  }
}
