// What a document lookup is made of, and the helpers its key functions share. The
// lookups themselves belong to the features (server/<feature>/lookups.ts), which
// declare them with their collections in server/features.ts; the stores are handed
// them when opened (createStore's `lookups`) and never import a feature.
import type { DocumentLookup } from './store.js';

/** The string values among `values` (a key function skips what a document lacks). */
export const strings = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
/** `value` as a record, or an empty one: key functions read documents of any age or shape. */
export const obj = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** The lookups a store is opened with, checked: the index is kept under each name, so a name is used once. */
export function checkedLookups(lookups: readonly DocumentLookup[]): readonly DocumentLookup[] {
  const seen = new Set<string>();
  for (const lookup of lookups) {
    if (seen.has(lookup.name)) throw new Error(`document lookup "${lookup.name}" is given twice: each lookup needs a name of its own`);
    seen.add(lookup.name);
  }
  return lookups;
}

/** A lookup the store was not opened with: no index answers it, and a scan would hide the omission. */
export function undeclaredLookup(lookup: DocumentLookup): Error {
  return new Error(
    `no document lookup "${lookup.name}" in this store: declare it with its collection "${lookup.collection}" in a feature's ` +
      '`collections` (server/features.ts), which the server opens its store with',
  );
}

/**
 * The document collections a store was opened with (the features declare them, with
 * their lookups, in server/features.ts). A read or write of any other collection
 * throws: a collection written without a declaration would ship unindexed and unseen
 * by whoever reads the declarations (a database store, the docs), and the server
 * suite, which exercises every feature, would not notice.
 */
export class DeclaredCollections {
  private readonly names: ReadonlySet<string>;

  constructor(collections: readonly string[], lookups: readonly DocumentLookup[]) {
    this.names = new Set(collections);
    for (const lookup of lookups) {
      if (!this.names.has(lookup.collection)) {
        throw new Error(`document lookup "${lookup.name}" indexes collection "${lookup.collection}", which is not among the collections the store is opened with`);
      }
    }
  }

  /** Throws unless `collection` was declared. */
  check(collection: string): void {
    if (!this.names.has(collection)) throw undeclaredCollection(collection);
  }

  checkRefs(refs: readonly { collection: string }[]): void {
    for (const ref of refs) this.check(ref.collection);
  }
}

/** A collection the store was not opened with: refused, naming where its declaration goes. */
export function undeclaredCollection(collection: string): Error {
  return new Error(
    `no document collection "${collection}" in this store: declare it in its feature's \`collections\` in server/features.ts ` +
      '(with the lookups it needs, if any, from server/<feature>/lookups.ts), which the server opens its store with',
  );
}
