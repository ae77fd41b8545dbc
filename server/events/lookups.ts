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

/** After-record follow-ups still pending, by when their batch was recorded (start-up runs them). */
export const FOLLOW_UPS_PENDING: DocumentLookup = {
  name: 'after-record.at',
  version: 1,
  collection: FOLLOW_UPS,
  keys: (pending) => strings(obj(pending).at),
};
