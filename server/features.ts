// The features and what each does after events are recorded, in the order they run.
// Imported once by every entry point (server/app.ts, server/cli.ts) before anything records.
// Order matters: trophy awards and micro-gifts join an event's result before webhooks
// carry it; a history import keeps facts (trophies, units sold) and skips reactions.
import { afterPopupEvents } from './gifts/service.js';
import { recordSkuSales } from './forecast/service.js';
import { confirmReservations } from './products/service.js';
import { registerAfterRecord, type RecordedBatch } from './events/after-record.js';
import { attributeGroupPurchases } from './share-save/service.js';
import { awardTrophiesByRules } from './trophies/rules.js';
import { enqueueWebhookDeliveries } from './webhooks/outbox.js';
import { tierChanges } from './webhooks/tier-changes.js';

/** Trophies with rules are checked once the facts are stored; their awards join each customer's last new event. */
async function trophiesByRules({ store, now, shopId, events, outcomes, silent }: RecordedBatch): Promise<void> {
  const accepted = outcomes.map((outcome, i) => ({ outcome, customerId: events[i]!.customerId })).filter((x) => x.outcome.status === 'accepted');
  const trophies = await awardTrophiesByRules(store, shopId, accepted.map((x) => x.customerId), now);
  if (silent) return;
  for (const [customerId, awards] of trophies) {
    const last = accepted.filter((x) => x.customerId === customerId).pop()!;
    last.outcome.awards = [...last.outcome.awards, ...awards];
  }
}

const args = ({ store, now, shopId, events, outcomes }: RecordedBatch) => [store, now, shopId, events, outcomes] as const;

registerAfterRecord({ feature: 'trophies', when: 'always', run: trophiesByRules });
// Units per SKU and day feed the demand forecast, history included (a KPI, not a celebration).
registerAfterRecord({ feature: 'forecast', when: 'always', run: (b) => recordSkuSales(...args(b), b.pending) });
// History brings the last tier told up to date quietly, so the next live event does not announce it.
registerAfterRecord({ feature: 'webhooks', when: 'history', run: (b) => tierChanges(...args(b)) });
// Market check-ins join the customer's visits; a purchase may win a micro-gift (its award joins the purchase's result, before webhooks).
registerAfterRecord({ feature: 'gifts', when: 'live', run: (b) => afterPopupEvents(...args(b)) });
registerAfterRecord({ feature: 'webhooks', when: 'live', run: (b) => enqueueWebhookDeliveries(...args(b)) });
// A purchase spending a share-to-save code, however it arrives (events, signed orders, claims).
registerAfterRecord({ feature: 'share-save', when: 'live', run: (b) => attributeGroupPurchases({ store: b.store, now: b.now }, b.shopId, b.events, b.outcomes) });
// A purchase carrying `kudos_reservation` turns that drop hold into a sale.
registerAfterRecord({ feature: 'products', when: 'live', run: (b) => confirmReservations(...args(b), b.pending) });
