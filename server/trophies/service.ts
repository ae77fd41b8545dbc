// Trophy reads other features ask for (through trophies/ports.ts). Awarding by rules is
// service-rules.ts; the routes keep their own reads and writes.
import type { Store } from '../store/store.js';
import { AWARDS, HOLDERS } from './engine.js';
import { AWARDS_BY_CUSTOMER } from './lookups.js';
import type { AwardDocument, HolderDocument } from './schemas.js';

/** Every trophy award of the shop, revoked ones included: the KPIs count them. */
export const listAwards = (store: Store, shopId: string) => store.listDocuments<AwardDocument>(shopId, AWARDS);

/** A customer's trophy awards, as stored (the export drops each one's salt). */
export async function customerAwards(store: Store, shopId: string, customerId: string): Promise<AwardDocument[]> {
  return (await store.findDocuments<AwardDocument>(AWARDS_BY_CUSTOMER, { shopId, equals: customerId })).map((f) => f.value);
}

/** What a customer holds (their awards by trophy and level), if anything. */
export const holderOf = (store: Store, shopId: string, customerId: string) => store.getDocument<HolderDocument>(shopId, { collection: HOLDERS, id: customerId });
