// A customer's erase (DELETE /v1/customers/:id) reaches their trophy awards. Idempotent.
import { AWARDS_BY_CUSTOMER } from './lookups.js';
import type { DocumentRef, Store } from '../store/store.js';
import { AWARD_REQUESTS, AWARDS, HOLDERS } from './engine.js';
import type { AwardDocument } from './schemas.js';

/** Every award of the customer (revoked ones too) goes, with its request record and the holder lock; public pages then 404. */
export async function eraseTrophyAwards(store: Store, shopId: string, customerId: string): Promise<void> {
  const awards = (await store.findDocuments<AwardDocument>(AWARDS_BY_CUSTOMER, { shopId, equals: customerId })).map((f) => f.value);
  const refs: DocumentRef[] = [{ collection: HOLDERS, id: customerId }];
  for (const a of awards) {
    refs.push({ collection: AWARDS, id: a.id });
    if (a.requestId) refs.push({ collection: AWARD_REQUESTS, id: `${a.trophyId}:${a.requestId}` });
  }
  await store.updateDocuments(shopId, refs, (current) => ({ values: current.map(() => undefined), result: null }));
}
