// The start-up pass that renames check-in email pointers written by older versions,
// whose ids were a plain SHA-256 of the address (anyone holding a list of addresses
// could match them against a copied store), to ids keyed by the shop's derivation
// secret (engine.ts emailKey). Each rename moves the pointer and the visit's list of
// its pointers in one atomic update, re-read inside it, so the pass may meet
// concurrent writes and may run twice. A shop is marked once done, so later starts
// skip it without a scan.
import { derivationSecretOf } from '../access/secrets.js';
import type { DocumentRef, Store } from '../store/store.js';
import { emailKey, emailPointerId, legacyEmailKey } from './engine.js';
import type { Visit } from './schemas.js';
import { COLLECTIONS, openedVisit, personRef, visitRef } from './service.js';

// In check-ins' own collection: stores written before it kept the marker in access's
// `sealing`, and simply run this pass once more (it may run twice).
const MARKER: DocumentRef = { collection: COLLECTIONS.passes, id: 'checkin-email-keys' };

type StoredVisit = Visit & { keys?: string[] };

/** Returns how many pointers were renamed. */
export async function rekeyCheckinEmails(store: Store): Promise<number> {
  let renamed = 0;
  for (const shop of await store.listShops()) {
    if (await store.getDocument(shop.id, MARKER)) continue;
    const secret = derivationSecretOf(shop);
    for (const stored of await store.listDocuments<StoredVisit>(shop.id, COLLECTIONS.visits)) {
      const email = openedVisit(stored).email;
      if (!email) continue;
      const oldId = emailPointerId(stored.checkinId, legacyEmailKey(email));
      const newId = emailPointerId(stored.checkinId, emailKey(secret, email));
      if (!stored.keys?.includes(oldId) && !(await store.getDocument(shop.id, personRef(oldId)))) continue;
      const done = await store.updateDocuments(shop.id, [personRef(oldId), personRef(newId), visitRef(stored.visitId)], ([old, current, visit]) => {
        const keys = (visit as StoredVisit | undefined)?.keys;
        if (old === undefined && !keys?.includes(oldId)) return { values: [old, current, visit], result: false };
        const nextVisit = visit && keys ? { ...(visit as StoredVisit), keys: keys.map((k) => (k === oldId ? newId : k)) } : visit;
        // A pointer already under the new id (written since) is the live one; the old one only goes.
        return { values: [undefined, current ?? old, nextVisit], result: true };
      });
      if (done) renamed++;
    }
    await store.updateDocuments(shop.id, [MARKER], () => ({ values: [{ version: 1 }], result: undefined }));
  }
  return renamed;
}
