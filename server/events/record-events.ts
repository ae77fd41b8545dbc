// The one path by which anything that happened reaches the rules engine: the
// events route, redemptions, and features that turn their own facts into events
// (a survey response, a group joined…) so loyalty rules can reward them.
import { applyEvent } from '../loyalty/engine/apply.js';
import { FOLLOW_UPS_BY_EVENT, FOLLOW_UPS_GRACE_MS, FOLLOW_UPS_PENDING } from './lookups.js';
import type { BrowserLimits, Decide, DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { programOf } from '../loyalty/ports.js';
import { Periodic } from '../periodic.js';
import { afterRecordHooks, FOLLOW_UPS, type PendingFollowUps } from './after-record.js';

export interface RecordOptions {
  /**
   * History (an import): the facts are kept — points, tiers, badges, trophies
   * by rules, KPIs — but nothing happens because of them: no gift, no webhook,
   * no drop hold confirmed, no group attribution, and no awards handed back for a
   * page to celebrate. The last tier told is brought up to date quietly, so the
   * next live event does not announce what history did.
   */
  silent?: boolean;
  /** Publishable-key traffic: the shop's bounds (server/limits), enforced by the store. */
  limits?: BrowserLimits;
}

/** An event's key in the pending documents: its namespace (browser or backend) and id. */
const keyOf = (event: Pick<RecordedEvent, 'id' | 'browser'>) => `${event.browser ? 'b' : 's'}:${event.id}`;
/** One pending document per batch, named after its first accepted event (an id is accepted once). */
const pendingRef = (firstAccepted: RecordedEvent): DocumentRef => ({ collection: FOLLOW_UPS, id: keyOf(firstAccepted) });

/** The batch's accepted events and outcomes, as its pending document keeps them. */
function pendingOf(events: readonly RecordedEvent[], outcomes: readonly EventOutcome[], silent: boolean, now: () => Date) {
  const accepted = outcomes.flatMap((outcome, i) => (outcome.status === 'accepted' ? [{ event: events[i]!, outcome }] : []));
  if (accepted.length === 0) return undefined;
  const value: PendingFollowUps = {
    at: now().toISOString(),
    silent,
    events: accepted.map((a) => a.event),
    // Copies: hooks change the outcomes they are given (awards added), and the store keeps this value as it is.
    outcomes: accepted.map((a) => ({ ...a.outcome })),
    keys: accepted.map((a) => keyOf(a.event)),
  };
  return { ref: pendingRef(accepted[0]!.event), value };
}

export async function recordEvents(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
  options: RecordOptions = {},
): Promise<EventOutcome[]> {
  const program = await programOf(store, shopId);
  const decide: Decide = (customer, event, badges) =>
    applyEvent(customer, event.customerId, event, { badges, program }, now().toISOString());
  const silent = options.silent === true;
  // The pending follow-ups are written in the events' own commit: a crash after it cannot lose them.
  const outcomes = await store.recordEvents(shopId, events, decide, options.limits, (so) => pendingOf(events, so, silent, now));
  const first = outcomes.findIndex((o) => o.status === 'accepted');
  // Also for a batch of duplicates, as before the outbox: a hook may heal what a first run left (webhooks re-queue their deliveries).
  await runFollowUps(store, now, shopId, first >= 0 ? pendingRef(events[first]!) : undefined, { events, outcomes, silent });
  // A replayed event whose first recording crashed before its follow-ups ran: run them now.
  const replayed = outcomes.flatMap((o, i) => (o.status === 'duplicate' ? [keyOf(events[i]!)] : []));
  if (replayed.length > 0) await runPendingFor(store, now, shopId, replayed);
  return silent ? outcomes.map((o) => ({ id: o.id, status: o.status, awards: [] })) : outcomes;
}

/**
 * Runs a batch's hooks, then forgets its pending document in a commit the store
 * makes anyway (deleteDocumentsLater): waiting for one of its own would be a second
 * durable write per request, for what is no fact of the batch (issue 20: half of
 * single-event ingest went to it). Lost in a crash, the document only runs the
 * batch's hooks again at start-up, and they are idempotent (that is what the
 * document is for).
 */
async function runFollowUps(
  store: Store,
  now: () => Date,
  shopId: string,
  pending: DocumentRef | undefined,
  batch: { events: readonly RecordedEvent[]; outcomes: EventOutcome[]; silent: boolean },
): Promise<void> {
  const recorded = { store, now, shopId, ...batch, pending };
  for (const hook of afterRecordHooks()) {
    if (hook.when === 'always' || (hook.when === 'history') === batch.silent) await hook.run(recorded);
  }
  if (pending) store.deleteDocumentsLater(shopId, [pending]);
}

async function runPending(store: Store, now: () => Date, shopId: string, id: string, pending: PendingFollowUps): Promise<void> {
  await runFollowUps(store, now, shopId, { collection: FOLLOW_UPS, id }, { events: pending.events, outcomes: pending.outcomes, silent: pending.silent });
}

async function runPendingFor(store: Store, now: () => Date, shopId: string, keys: readonly string[]): Promise<void> {
  const ran = new Set<string>();
  for (const key of keys) {
    for (const found of await store.findDocuments<PendingFollowUps>(FOLLOW_UPS_BY_EVENT, { equals: key, shopId })) {
      if (ran.has(found.id)) continue;
      ran.add(found.id);
      await runPending(store, now, shopId, found.id, found.value);
    }
  }
}

/** A run claims a pending document for this long: an instance that dies while running it leaves it to another after that. */
export const FOLLOW_UPS_LEASE_MS = 60_000;
/** How often each instance looks for follow-ups due for another run. */
export const FOLLOW_UPS_EVERY_MS = 5_000;

/**
 * The follow-ups of batches whose run was cut short (a crash, a kill -9, a stop
 * past its grace period, a failing hook), in every shop, oldest first: each is
 * claimed with a lease (claimDocuments: on PostgreSQL FOR UPDATE SKIP LOCKED, so
 * instances running this at once share the work instead of doing it twice), then
 * run. One that fails stays pending and is due again when its lease ends. Due:
 * older than FOLLOW_UPS_GRACE_MS (its own request runs it before that), or
 * with `recent`, any (at start-up, when this instance's own batches of before are
 * not running). Hooks are idempotent, so a batch another process is still
 * running (a replay) is safe to run too. Returns how many batches ran.
 */
export async function runPendingFollowUps(
  store: Store,
  now: () => Date,
  log: (message: string, error: unknown) => void,
  { recent = true }: { recent?: boolean } = {},
): Promise<number> {
  let count = 0;
  for (;;) {
    const at = now().getTime();
    const upTo = new Date(at + (recent ? FOLLOW_UPS_GRACE_MS : 0)).toISOString();
    const leaseUntil = new Date(at + FOLLOW_UPS_LEASE_MS + (recent ? FOLLOW_UPS_GRACE_MS : 0)).toISOString();
    const page = await store.claimDocuments<PendingFollowUps>(FOLLOW_UPS_PENDING, { upTo, limit: 20 }, (value) => ({ ...value, leaseUntil }));
    if (page.length === 0) return count;
    for (const found of page) {
      try {
        await runPending(store, now, found.shopId, found.id, found.value);
        count++;
      } catch (error) {
        // Left pending under its lease: due again when it ends (here or in another instance).
        log(`after-record follow-ups of ${found.shopId}/${found.id} failed`, error);
      }
    }
  }
}

/**
 * Every instance runs the due follow-ups on a timer, so a dead instance's are done
 * by the live ones without a restart. stop() waits for a pass in progress.
 */
export function followUpRunner(store: Store, now: () => Date, log: (message: string, error: unknown) => void, everyMs = FOLLOW_UPS_EVERY_MS): Periodic {
  return new Periodic(() => runPendingFollowUps(store, now, log, { recent: false }), everyMs, (error) => log('after-record follow-ups pass failed', error));
}
