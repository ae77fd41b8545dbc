import type { ApiHeaders } from './http.js';

/** One event as `POST /v1/events` takes it. */
export interface OutgoingEvent {
  id: string;
  type: string;
  properties?: Record<string, unknown>;
  occurredAt: string;
}

/**
 * A queued event as kept in localStorage under `kudos:q:<event id>`: one key per
 * event, so tabs adding and removing events at once never overwrite each other.
 * `u` is the events URL, `h` the headers it was tracked under (key, identity);
 * `o`/`t` claim it for the tab `o` that is sending it, until `t` (ms).
 */
export interface QueueItem {
  u: string;
  h: ApiHeaders;
  e: OutgoingEvent;
  /** Order among events of the same millisecond (storage keys have no order). */
  n: number;
  o?: string;
  t?: number;
}

export const QUEUE_PREFIX = 'kudos:q:';

/**
 * The loader's early calls, kept in localStorage under `kudos:qe:<page id>` from the moment
 * they are made until the runtime chunk has run them: `[config, calls]`, the page's
 * `Kudos.config` and each call with the event id and time it was made with, so an event
 * tracked before the chunk arrives survives the page closing, and a page that runs them again
 * (its own chunk arriving after another page took them) repeats the same event ids, which the
 * API counts once. Not under QUEUE_PREFIX: the queue reads only its items there.
 */
export const EARLY_PREFIX = 'kudos:qe:';
/** One early call: `Kudos(...args)`, its event id (used when it is a track) and its time (a Date, its ISO string once stored). */
export type EarlyCall = [args: unknown[], id: string, at: Date | string];

/** What the runtime needs from the queue (sdk/queue.ts). */
export interface QueueModule {
  /** The queue of one events URL, shared by every runtime of the document. */
  queue(url: string): { add(item?: QueueItem): void };
}

/** Persist an event at once, before the queue module has even arrived. False when storage is blocked. */
export function saveItem(item: QueueItem): boolean {
  try {
    localStorage.setItem(QUEUE_PREFIX + item.e.id, JSON.stringify(item));
    return true;
  } catch {
    return false;
  }
}

/** Events (or early calls) left by an earlier page (or another tab) that still wait to be sent. */
export function hasSavedItems(): boolean {
  try {
    // Short for the loader, which carries it: a key with the prefix elsewhere than at its start
    // (none of ours) would only load the queue for nothing. `kudos:q` is the start of both
    // QUEUE_PREFIX and EARLY_PREFIX: a closed page's early calls load the runtime too.
    // (An array tested as a string: its keys joined by commas.)
    return /kudos:q/.test(Object.keys(localStorage) as unknown as string);
  } catch {
    return false;
  }
}
