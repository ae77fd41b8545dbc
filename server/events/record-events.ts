// The one path by which anything that happened reaches the rules engine: the
// events route, redemptions, and features that turn their own facts into events
// (a survey response, a group joined…) so loyalty rules can reward them.
import { applyEvent } from '../loyalty/engine/apply.js';
import type { BrowserLimits, Decide, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { programOf } from '../loyalty/service.js';
import { afterRecordHooks } from './after-record.js';

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
  const outcomes = await store.recordEvents(shopId, events, decide, options.limits);
  const silent = options.silent === true;
  const batch = { store, now, shopId, events, outcomes, silent };
  // Follow-ups run after the events' commit (at-least-once, each safe to repeat): see server/features.ts.
  for (const hook of afterRecordHooks()) {
    if (hook.when === 'always' || (hook.when === 'history') === silent) await hook.run(batch);
  }
  return silent ? outcomes.map((o) => ({ id: o.id, status: o.status, awards: [] })) : outcomes;
}
