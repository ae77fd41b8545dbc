// `kudos store copy --from A --to B`: moves everything from one store to another
// (a lowdb file up to PostgreSQL, or back), then checks that the destination holds
// exactly as many records of each kind as the source. Run it with the servers
// stopped: the source must not change while it is read.
import { resolve } from 'node:path';
import { createStore } from './create-store.js';
import type { DocumentLookup, Store, StoreRecord } from './store.js';

/** The collections and lookups the features declare (server/features.ts featureDocuments()). */
export interface CopyDocuments {
  collections: readonly string[];
  lookups: readonly DocumentLookup[];
}

export class CopyError extends Error {}

const isDatabase = (where: string) => /^postgres(ql)?:\/\//.test(where);

function open(where: string, documents: CopyDocuments): Promise<Store> {
  return isDatabase(where) ? createStore({ dataFile: '', databaseUrl: where }, documents) : createStore({ dataFile: resolve(where) }, documents);
}

export function countByKind(records: readonly StoreRecord[]): Record<StoreRecord['kind'], number> {
  const counts = { shop: 0, badge: 0, customer: 0, seen: 0, awardCount: 0, document: 0 };
  for (const r of records) counts[r.kind]++;
  return counts;
}

/**
 * `documents`: the features' collections and lookups (the CLI passes them): the
 * destination indexes the documents it is given, and refuses the copy whole when
 * the source holds a collection no feature declares.
 */
export async function copyStore(from: string, to: string, documents: CopyDocuments): Promise<Record<StoreRecord['kind'], number>> {
  if (from === to) throw new CopyError('--from and --to are the same store');
  const source = await open(from, documents);
  try {
    const records = await source.dump();
    const destination = await open(to, documents);
    try {
      if ((await destination.listShops()).length > 0) throw new CopyError(`${isDatabase(to) ? 'the destination database' : to} already has shops: copy into an empty store only`);
      await destination.load(records);
      const expected = countByKind(records);
      const found = countByKind(await destination.dump());
      const wrong = (Object.keys(expected) as StoreRecord['kind'][]).filter((k) => expected[k] !== found[k]);
      if (wrong.length > 0) {
        throw new CopyError(`count check failed: ${wrong.map((k) => `${k}: ${expected[k]} in the source, ${found[k]} in the destination`).join('; ')}`);
      }
      return expected;
    } finally {
      await destination.close();
    }
  } finally {
    await source.close();
  }
}
