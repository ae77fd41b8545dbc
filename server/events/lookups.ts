// The events feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';
import { FOLLOW_UPS } from './after-record.js';

/** After-record follow-ups still pending, by the ids of their events (a replayed event runs them). */
export const FOLLOW_UPS_BY_EVENT: DocumentLookup = {
  name: 'after-record.event',
  version: 1,
  collection: FOLLOW_UPS,
  keys: (pending) => {
    const keys = obj(pending).keys;
    return Array.isArray(keys) ? strings(...keys) : [];
  },
};

/**
 * A batch's own request runs its follow-ups at once; only when they are still
 * pending this long after the batch was recorded are they anyone's to run (the
 * request's instance died, or its run failed).
 */
export const FOLLOW_UPS_GRACE_MS = 30_000;

/**
 * After-record follow-ups still pending, by when they are due for another run: the
 * end of the lease of the run that claimed them last (an instance that dies while
 * running them leaves them to another after it), else their batch's time plus the
 * grace period. Every instance's timer claims the due ones (claimDocuments).
 */
export const FOLLOW_UPS_PENDING: DocumentLookup = {
  // Named when it keyed by the batch's time alone (version 1).
  name: 'after-record.at',
  version: 2,
  collection: FOLLOW_UPS,
  keys: (pending) => {
    const p = obj(pending);
    if (typeof p.leaseUntil === 'string') return [p.leaseUntil];
    const at = typeof p.at === 'string' ? Date.parse(p.at) : NaN;
    return Number.isNaN(at) ? [] : [new Date(at + FOLLOW_UPS_GRACE_MS).toISOString()];
  },
};
