// The one path by which anything that happened reaches the rules engine: the
// events route, redemptions, and features that turn their own facts into events
// (a survey response, a group joined…) so loyalty rules can reward them.
import { applyEvent } from '../engine/apply.js';
import type { BrowserLimits, Decide, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { awardTrophiesByRules } from '../trophies/rules.js';
import { programOf } from './program.js';
import { enqueueWebhookDeliveries } from '../webhooks/outbox.js';
import { attributeGroupPurchases } from '../share-save/service.js';
import { confirmReservations } from '../products/service.js';
import { afterPopupEvents } from '../gifts/service.js';
import { tierChanges } from '../webhooks/tier-changes.js';
import { recordSkuSales } from '../forecast/service.js';

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
  // Trophies with rules are checked once the facts are stored; their awards join
  // the result of each customer's last new event, so the page can celebrate them.
  const accepted = outcomes.map((o, i) => ({ outcome: o, customerId: events[i]!.customerId })).filter((x) => x.outcome.status === 'accepted');
  const trophies = await awardTrophiesByRules(store, shopId, accepted.map((x) => x.customerId), now);
  // Units per SKU and day feed the demand forecast, history included (a KPI, not a celebration).
  await recordSkuSales(store, now, shopId, events, outcomes);
  if (options.silent) {
    await tierChanges(store, now, shopId, events, outcomes);
    return outcomes.map((o) => ({ id: o.id, status: o.status, awards: [] }));
  }
  for (const [customerId, awards] of trophies) {
    const last = accepted.filter((x) => x.customerId === customerId).pop()!;
    last.outcome.awards = [...last.outcome.awards, ...awards];
  }
  // Market check-ins join the customer's visits; purchases may win a micro-gift (its award joins the purchase's result, before webhooks).
  await afterPopupEvents(store, now, shopId, events, outcomes);
  await enqueueWebhookDeliveries(store, now, shopId, events, outcomes);
  // A purchase spending a share-to-save code, however it arrives (events, signed orders, claims).
  await attributeGroupPurchases({ store, now }, shopId, events, outcomes);
  // A purchase carrying `kudos_reservation` turns that drop hold into a sale.
  await confirmReservations(store, now, shopId, events, outcomes);
  return outcomes;
}
