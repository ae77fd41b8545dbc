// `tier.changed`: a tier is a standing over a rolling window, not a fact any one event
// carries, so the last tier told is kept per customer and compared after their events
// (a purchase may lift it, a refund may lower it). The comparison and the write are one
// atomic update: two racing requests never announce the same change twice.
import { BONUS_EVENT } from '../loyalty/engine/apply.js';
import { tierOf } from '../loyalty/engine/tiers.js';
import { programOf } from '../loyalty/ports.js';
import type { EventOutcome, RecordedEvent, Store } from '../store/store.js';
import type { WebhookFact } from './engine.js';

export const TIER_STANDINGS = 'tier-standings';

/**
 * Events a feature records because of another event (a micro-gift and its bonus points
 * after a purchase). They are recorded before the purchase's own step runs, so a change
 * is told with the purchase's id there, not with theirs.
 */
const CONSEQUENCES = new Set(['gift.granted', BONUS_EVENT]);

interface Standing {
  tier: string | null;
  at: string;
  /** The event the change was told with, and the tier before: a follow-up run again for that event tells the same change again (the delivery's id is the same, so it is stored once). */
  eventId?: string;
  from?: string | null;
}

export async function tierChanges(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
  outcomes: readonly EventOutcome[],
): Promise<WebhookFact[]> {
  const program = await programOf(store, shopId);
  if (!program.tiers) return [];
  const at = now().toISOString();
  // Each customer's last new event is the one the change is told with.
  const lastEvent = new Map<string, string>();
  events.forEach((e, i) => outcomes[i]?.status === 'accepted' && !CONSEQUENCES.has(e.type) && lastEvent.set(e.customerId, e.id));
  const facts: WebhookFact[] = [];
  for (const [customerId, eventId] of lastEvent) {
    const record = await store.getCustomer(shopId, customerId);
    if (!record) continue;
    const to = tierOf(record, program, at)?.current?.name ?? null;
    // Most events change no tier: a read, and no write, for those.
    const told = await store.getDocument<Standing>(shopId, { collection: TIER_STANDINGS, id: customerId });
    if ((told?.tier ?? null) === to && told?.eventId !== eventId) continue;
    const change = await store.updateDocuments(shopId, [{ collection: TIER_STANDINGS, id: customerId }], ([current]) => {
      const standing = current as Standing | undefined;
      const from = standing?.tier ?? null;
      // Told by this very event already (its follow-ups run again after a crash): the same change again.
      if (from === to && standing?.eventId === eventId) return { values: [current], result: { from: standing.from ?? null, to } };
      if (from === to) return { values: [current], result: undefined };
      return { values: [{ tier: to, at, eventId, from } satisfies Standing], result: { from, to } };
    });
    if (change) facts.push({ sourceEventId: eventId, type: 'tier.changed', subject: '', data: { customerId, eventId, ...change } });
  }
  return facts;
}

/** For the customer erase: the last tier told is data about them too. */
export async function eraseTierStanding(store: Store, shopId: string, customerId: string): Promise<void> {
  await store.updateDocuments(shopId, [{ collection: TIER_STANDINGS, id: customerId }], () => ({ values: [undefined], result: undefined }));
}
