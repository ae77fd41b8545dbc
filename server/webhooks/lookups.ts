// The webhooks feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';
import { DELIVERIES } from './outbox.js';

/**
 * Pending webhook deliveries by when a worker may next take them, across shops
 * (the worker's queue): the next attempt's time, or the end of the lease a
 * worker holds on it if later. So a leased delivery is not due while its worker
 * lives, and one whose worker died comes due again when the lease runs out.
 */
export const DELIVERIES_DUE: DocumentLookup = {
  name: 'webhook-deliveries.due',
  version: 2,
  collection: DELIVERIES,
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
  collection: DELIVERIES,
  keys: (delivery) => {
    const d = obj(delivery);
    return d.status === 'pending' ? [] : strings(d.finishedAt);
  },
};

/** Pending webhook deliveries of one endpoint (its delivery list). */
export const DELIVERIES_PENDING_BY_ENDPOINT: DocumentLookup = {
  name: 'webhook-deliveries.pending-endpoint',
  version: 1,
  collection: DELIVERIES,
  keys: (delivery) => {
    const d = obj(delivery);
    return d.status === 'pending' ? strings(d.endpointId) : [];
  },
};
