// One document changed only when it needs to: `change` sees the stored value inside the
// update (so a concurrent write is never overwritten with an older value) and answers
// undefined to leave it as it is. Used by passes over every shop's data that most
// documents skip, such as sealing values at rest (server/access/seal-at-rest.ts).
import type { DocumentRef, Store } from './store.js';

/** True when the document was changed. */
export async function updateOne<T>(store: Store, shopId: string, ref: DocumentRef, change: (doc: T) => T | undefined): Promise<boolean> {
  return store.updateDocuments(shopId, [ref], ([current]) => {
    const next = current === undefined ? undefined : change(current as T);
    return next === undefined ? { values: [current], result: false } : { values: [next], result: true };
  });
}
