// What happens because events were recorded, declared by each feature in server/features.ts
// and run by recordEvents in their declared order. Recording does not import any feature:
// features register here, which keeps the dependency one-way (feature → recording).
//
// Durable follow-ups: the store writes a pending document (collection `after-record`)
// in the same commit as the batch's events, with the accepted events and their
// outcomes. recordEvents runs the hooks after that commit and then deletes it. A crash
// in between leaves it: it is run again when one of its events is sent again (a
// replay answers `duplicate`) and when a server starts. So hooks are at-least-once,
// and each must be idempotent, keyed by event id (see each registration in features.ts).
import type { DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';

export interface RecordedBatch {
  store: Store;
  now: () => Date;
  shopId: string;
  events: readonly RecordedEvent[];
  /** One per event, in order; a hook may add awards to an accepted outcome for the page to celebrate. */
  outcomes: EventOutcome[];
  /** A history import: facts are kept, nothing is celebrated or sent. */
  silent: boolean;
  /**
   * The batch's pending document, while its follow-ups have not all run: a hook whose
   * write cannot be keyed by event id (a counter) marks it done there, in the same
   * update (updateOnce), so running the batch again does not count twice.
   */
  pending?: DocumentRef;
}

/**
 * A follow-up of a stored batch. It runs after the events' own commit, so it is
 * at-least-once, not atomic with them: it must be safe to run again for the same
 * batch (each keys what it writes by event id, or checks before it writes).
 */
export interface AfterRecordHook {
  /** The feature declaring it, for logs and docs. */
  feature: string;
  /** `always`: part of the facts, history included; `live`: reactions, never for history; `history`: only for history. */
  when: 'always' | 'live' | 'history';
  run(batch: RecordedBatch): Promise<unknown>;
}

/** The pending document of a batch: what running its follow-ups again needs. */
export interface PendingFollowUps {
  /** When the batch was recorded (ISO): start-up finds them by it. */
  at: string;
  silent: boolean;
  /** The accepted events and their outcomes. */
  events: RecordedEvent[];
  outcomes: EventOutcome[];
  /** Their seen keys (`s:` backend ids, `b:` browser ids): a replay finds the document by them. */
  keys: string[];
  /** Steps already applied that cannot be keyed by event id (updateOnce). */
  done?: string[];
  /** Claimed by a run (runPendingFollowUps) until then (ISO): not due for another meanwhile. */
  leaseUntil?: string;
}

export const FOLLOW_UPS = 'after-record';

const hooks: AfterRecordHook[] = [];

/** Called by server/features.ts, which modules evaluate once; order of registration is order of running. */
export function registerAfterRecord(hook: AfterRecordHook): void {
  hooks.push(hook);
}

export function afterRecordHooks(): readonly AfterRecordHook[] {
  // Every process that records imports server/features.ts (the app and the CLI do): recording
  // without the features would store events and silently skip their awards, webhooks and sales.
  if (hooks.length === 0) throw new Error('No feature is registered: import server/features.js before recording events.');
  return hooks;
}

/**
 * A write that must happen once per batch although it cannot be keyed by event id
 * (adding to a counter): the batch's pending document records `step` in the same
 * update, and a batch that already did it (or whose follow-ups are all done) skips.
 * Without a pending document (a caller outside recording), it simply writes.
 */
export async function updateOnce(
  store: Store,
  shopId: string,
  pending: DocumentRef | undefined,
  step: string,
  refs: readonly DocumentRef[],
  update: (current: unknown[]) => unknown[],
): Promise<void> {
  if (!pending) {
    await store.updateDocuments(shopId, refs, (current) => ({ values: update(current), result: undefined }));
    return;
  }
  await store.updateDocuments(shopId, [...refs, pending], (current) => {
    const doc = current[refs.length] as PendingFollowUps | undefined;
    if (!doc || doc.done?.includes(step)) return { values: current, result: undefined };
    return { values: [...update(current.slice(0, refs.length)), { ...doc, done: [...(doc.done ?? []), step] }], result: undefined };
  });
}
