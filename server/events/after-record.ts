// What happens because events were recorded, declared by each feature in server/features.ts
// and run by recordEvents in their declared order. Recording does not import any feature:
// features register here, which keeps the dependency one-way (feature → recording).
import type { EventOutcome, RecordedEvent, Store } from '../store/store.js';

export interface RecordedBatch {
  store: Store;
  now: () => Date;
  shopId: string;
  events: readonly RecordedEvent[];
  /** One per event, in order; a hook may add awards to an accepted outcome for the page to celebrate. */
  outcomes: EventOutcome[];
  /** A history import: facts are kept, nothing is celebrated or sent. */
  silent: boolean;
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
