// Trophy reads other features ask for (through trophies/ports.ts). Awarding by rules is
// service-rules.ts; the routes keep their own reads and writes.
import type { Store } from '../store/store.js';
import { AWARDS } from './engine.js';
import type { AwardDocument } from './schemas.js';

/** Every trophy award of the shop, revoked ones included: the KPIs count them. */
export const listAwards = (store: Store, shopId: string) => store.listDocuments<AwardDocument>(shopId, AWARDS);
