// The lookups features declare on their documents: each store opened by the
// server keeps an index per lookup (lowdb: sorted arrays in memory; PostgreSQL:
// the document_keys table), so erasers, expiry sweeps, the webhook worker and the
// public award pages find their documents without reading a whole collection.
//
// Collection names are spelled out rather than imported from the features: this
// module is loaded by the stores, which must not pull feature code in (and its
// imports back into the store). test/store/lookups.test.ts checks each name
// against the feature's own constant.
import type { DocumentLookup } from './store.js';

const strings = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
const obj = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** Trophy awards of a customer (customer erase and export). */
export const AWARDS_BY_CUSTOMER: DocumentLookup = {
  name: 'trophy-awards.customer',
  version: 1,
  collection: 'trophy-awards',
  keys: (award) => strings(obj(award).customerId),
};

/** A trophy award by its id, in whichever shop holds it (public pages under /t/: award ids are unique across shops). */
export const AWARDS_BY_ID: DocumentLookup = {
  name: 'trophy-awards.id',
  version: 1,
  collection: 'trophy-awards',
  keys: (_award, id) => [id],
};

/** Share-to-save groups a customer owns or is a member of (customer erase and export). */
export const GROUPS_BY_MEMBER: DocumentLookup = {
  name: 'share-save-groups.member',
  version: 1,
  collection: 'shareSaveGroups',
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
  collection: 'shareSaveMemberships',
  keys: (_value, id) => (id.includes('/') ? [id.slice(id.indexOf('/') + 1)] : []),
};

/** Drop stock that names a customer in a hold or a sale (customer erase and export). */
export const STOCK_BY_CUSTOMER: DocumentLookup = {
  name: 'product-stock.customer',
  version: 1,
  collection: 'product-stock',
  keys: (stock) => {
    const s = obj(stock);
    const customers = [...Object.values(obj(s.holds)), ...Object.values(obj(s.sales))].map((x) => obj(x).customer);
    return [...new Set(strings(...customers))];
  },
};

/** Email claims by expiry (expired ones are swept when the shop makes a new claim). */
export const CLAIMS_BY_EXPIRY: DocumentLookup = {
  name: 'email-claims.expiry',
  version: 1,
  collection: 'emailClaims',
  keys: (claim) => strings(obj(claim).expiresAt),
};

/**
 * Pending webhook deliveries by when a worker may next take them, across shops
 * (the worker's queue): the next attempt's time, or the end of the lease a
 * worker holds on it if later. So a leased delivery is not due while its worker
 * lives, and one whose worker died comes due again when the lease runs out.
 */
export const DELIVERIES_DUE: DocumentLookup = {
  name: 'webhook-deliveries.due',
  version: 2,
  collection: 'webhook-deliveries',
  keys: (delivery) => {
    const d = obj(delivery);
    if (d.status !== 'pending' || typeof d.nextAttemptAt !== 'string') return [];
    const until = obj(d.lease).until;
    return [typeof until === 'string' && until > d.nextAttemptAt ? until : d.nextAttemptAt];
  },
};

/** Finished webhook deliveries by when they finished (pruned after the retention). */
export const DELIVERIES_FINISHED: DocumentLookup = {
  name: 'webhook-deliveries.finished',
  version: 1,
  collection: 'webhook-deliveries',
  keys: (delivery) => {
    const d = obj(delivery);
    return d.status === 'pending' ? [] : strings(d.finishedAt);
  },
};

/** Pending webhook deliveries of one endpoint (its delivery list). */
export const DELIVERIES_PENDING_BY_ENDPOINT: DocumentLookup = {
  name: 'webhook-deliveries.pending-endpoint',
  version: 1,
  collection: 'webhook-deliveries',
  keys: (delivery) => {
    const d = obj(delivery);
    return d.status === 'pending' ? strings(d.endpointId) : [];
  },
};

/** Every lookup the server's stores keep. */
/** After-record follow-ups still pending, by the ids of their events (a replayed event runs them). */
export const FOLLOW_UPS_BY_EVENT: DocumentLookup = {
  name: 'after-record.event',
  version: 1,
  collection: 'after-record',
  keys: (pending) => {
    const keys = obj(pending).keys;
    return Array.isArray(keys) ? strings(...keys) : [];
  },
};

/** After-record follow-ups still pending, by when their batch was recorded (start-up runs them). */
export const FOLLOW_UPS_PENDING: DocumentLookup = {
  name: 'after-record.at',
  version: 1,
  collection: 'after-record',
  keys: (pending) => strings(obj(pending).at),
};

export const DOCUMENT_LOOKUPS: readonly DocumentLookup[] = [
  FOLLOW_UPS_BY_EVENT,
  FOLLOW_UPS_PENDING,
  AWARDS_BY_CUSTOMER,
  AWARDS_BY_ID,
  GROUPS_BY_MEMBER,
  MEMBERSHIPS_BY_CUSTOMER,
  STOCK_BY_CUSTOMER,
  CLAIMS_BY_EXPIRY,
  DELIVERIES_DUE,
  DELIVERIES_FINISHED,
  DELIVERIES_PENDING_BY_ENDPOINT,
];
