// The trophies feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';
import { AWARDS } from './engine.js';

/** Trophy awards of a customer (customer erase and export). */
export const AWARDS_BY_CUSTOMER: DocumentLookup = {
  name: 'trophy-awards.customer',
  version: 1,
  collection: AWARDS,
  keys: (award) => strings(obj(award).customerId),
};

/** A trophy award by its id, in whichever shop holds it (public pages under /t/: award ids are unique across shops). */
export const AWARDS_BY_ID: DocumentLookup = {
  name: 'trophy-awards.id',
  version: 1,
  collection: AWARDS,
  keys: (_award, id) => [id],
};
