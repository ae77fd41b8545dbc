// The email-claims feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';

/** Pending and finished email claims, by claim id (service.ts re-exports it). */
export const CLAIMS = 'emailClaims';

/** Email claims by expiry (expired ones are swept when the shop makes a new claim). */
export const CLAIMS_BY_EXPIRY: DocumentLookup = {
  name: 'email-claims.expiry',
  version: 1,
  collection: CLAIMS,
  keys: (claim) => strings(obj(claim).expiresAt),
};
