// What engines hand to, and get back from, recording: the store implements these
// shapes, engines never import the store.
import type { Award } from '../schemas.js';
import type { EngineEvent } from '../loyalty/engine/customer.js';

/** An event after authentication: the customer it counts for is settled. */
export interface RecordedEvent extends EngineEvent {
  customerId: string;
  occurredAt: string;
  /**
   * Canonical hash of the event as its sender sent it (events/fingerprint.ts).
   * Kept with the seen id: the same id again with another fingerprint is an
   * EventConflict. Absent (on either side): not compared.
   */
  fingerprint?: string;
  /**
   * Sent with a publishable key. Its id is remembered only for
   * `BrowserLimits.idRetentionMs` and counts against `BrowserLimits.events`; the
   * route gives such ids their own namespace, so they never meet a backend's.
   */
  browser?: boolean;
}

export type EventOutcome = {
  id: string;
  status: 'accepted' | 'duplicate';
  awards: Award[];
  /** Awards taken back by this event (a refund), when any. */
  revocations?: Award[];
};

/**
 * What an update makes of the documents it read, in the same order; `undefined`
 * deletes. `result` is handed back to the caller.
 */
export interface DocumentUpdate<R> {
  values: unknown[];
  result: R;
}
