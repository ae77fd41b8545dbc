// The share-to-save feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';
import { COLLECTIONS } from './service.js';

/** Share-to-save groups a customer owns or is a member of (customer erase and export). */
export const GROUPS_BY_MEMBER: DocumentLookup = {
  name: 'share-save-groups.member',
  version: 1,
  collection: COLLECTIONS.groups,
  keys: (group) => {
    const g = obj(group);
    const members = Array.isArray(g.members) ? g.members.map((m) => obj(m).customerId) : [];
    return [...new Set(strings(g.ownerId, ...members))];
  },
};

/** A customer's per-campaign membership lists (id `campaignId/customerId`; campaign ids are slugs, without a slash). */
export const MEMBERSHIPS_BY_CUSTOMER: DocumentLookup = {
  name: 'share-save-memberships.customer',
  version: 1,
  collection: COLLECTIONS.memberships,
  keys: (_value, id) => (id.includes('/') ? [id.slice(id.indexOf('/') + 1)] : []),
};
