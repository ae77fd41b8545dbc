// The one path by which anything that happened reaches the rules engine: the
// events route, redemptions, and features that turn their own facts into events
// (a survey response, a group joined…) so loyalty rules can reward them.
import { applyEvent } from '../engine/apply.js';
import type { Decide, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { programOf } from './program.js';

export async function recordEvents(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
): Promise<EventOutcome[]> {
  const program = await programOf(store, shopId);
  const decide: Decide = (customer, event, badges) =>
    applyEvent(customer, event.customerId, event, { badges, program }, now().toISOString());
  return store.recordEvents(shopId, events, decide);
}
