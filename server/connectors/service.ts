// Turns a verified platform delivery into Kudos events. A platform's refund names
// only its order (Shopify's refunds/create carries no customer), so the customer
// of each connected order is kept in an index; a refund that arrives before its
// order waits there and is recorded right after the order. Every event id comes
// from platform ids, so redeliveries and reorderings never count twice.
import { emailCustomerId } from '../email-claims/ports.js';
import { datedAt } from '../history/bounds.js';
import { problems } from '../http/problem.js';
import { recordEvents } from '../events/record-events.js';
import { needsSealing, resealed } from '../access/seal.js';
import type { EventOutcome, RecordedEvent, Shop, Store } from '../store/store.js';
import { updateOne } from '../store/update-one.js';
import { requestPostDeliverySurveys, type SurveyRequest } from '../surveys/ports.js';
import type { Fact, FulfilmentFact, OrderFact, RefundFact } from './mapping.js';
import type { Connection } from './schemas.js';

export const CONNECTIONS = 'connections';
export const CONNECTED_ORDERS = 'connected-orders';
/** Refunds kept waiting for one order; more are refused rather than grow the index without end. */
const MAX_WAITING = 20;

interface ConnectedOrder {
  customerId?: string;
  waiting?: RefundFact[];
}

/** Seals connection secrets written plain or under a previous sealing key (server/access/seal-at-rest.ts); how many changed. */
export async function resealConnectionSecrets(store: Store, shopId: string): Promise<number> {
  let changed = 0;
  for (const connection of await store.listDocuments<Connection>(shopId, CONNECTIONS)) {
    if (!needsSealing(connection.secret)) continue;
    const ref = { collection: CONNECTIONS, id: connection.id };
    if (await updateOne<Connection>(store, shopId, ref, (c) => (needsSealing(c.secret) ? { ...c, secret: resealed(c.secret) } : undefined))) changed++;
  }
  return changed;
}

const purchaseId = (orderId: string) => `purchase:${orderId}`;
const refundId = (fact: RefundFact) => `refund:${fact.orderId}:${fact.refundId}`;

function dated(at: string, now: Date): string {
  const d = datedAt(at, now);
  if ('refused' in d) throw problems.validation([{ pointer: '/created_at', detail: d.refused }]);
  return d.at;
}

function purchaseEvent(fact: OrderFact, customerId: string, now: Date): RecordedEvent {
  return {
    id: purchaseId(fact.orderId),
    type: 'purchase',
    customerId,
    occurredAt: dated(fact.at, now),
    properties: {
      orderId: fact.orderId,
      total: fact.total,
      currency: fact.currency,
      ...(fact.items && { items: fact.items }),
      ...(fact.discountCode && { discountCode: fact.discountCode }),
      ...(fact.kudosSrc && { kudos_src: fact.kudosSrc }),
      ...(fact.kudosRef && { kudos_ref: fact.kudosRef }),
    },
  };
}

const refundEvent = (fact: RefundFact, customerId: string, now: Date): RecordedEvent => ({
  id: refundId(fact),
  type: 'refund',
  customerId,
  occurredAt: dated(fact.at, now),
  properties: { orderId: fact.orderId, amount: fact.amount },
});

function customerOf(shop: Shop, fact: OrderFact | FulfilmentFact): string | undefined {
  if (fact.buyer.customerId) return fact.buyer.customerId;
  // A guest is the customer of their address: verifying it later (email claims) makes these orders theirs.
  if (fact.buyer.email) return emailCustomerId(shop, fact.buyer.email);
  return undefined;
}

const orderRef = (orderId: string) => ({ collection: CONNECTED_ORDERS, id: orderId });

export interface ConnectorOutcome {
  results: EventOutcome[];
  /** Refunds kept until their order arrives. */
  waiting: number;
  /** Post-delivery surveys a fulfilment asked (surveys/fulfilment.ts). */
  surveys: SurveyRequest[];
}

export async function applyFacts(store: Store, now: () => Date, shop: Shop, facts: readonly Fact[], base: string): Promise<ConnectorOutcome> {
  const results: EventOutcome[] = [];
  const surveys: SurveyRequest[] = [];
  let waiting = 0;
  for (const fact of facts) {
    if (fact.kind === 'fulfilment') {
      // The link names the customer the order was credited to, so the answer lands on the same person.
      const known = await store.getDocument<ConnectedOrder>(shop.id, orderRef(fact.orderId));
      const customerId = known?.customerId ?? customerOf(shop, fact);
      if (!customerId) continue; // Nobody to ask.
      surveys.push(...(await requestPostDeliverySurveys(store, now, shop, base, { orderId: fact.orderId, customerId, at: dated(fact.at, now()), ...(fact.email && { email: fact.email }) })));
    } else if (fact.kind === 'order') {
      const buyer = customerOf(shop, fact);
      if (!buyer) continue; // No customer and no email: nobody to credit.
      purchaseEvent(fact, buyer, now()); // dates checked before anything is kept
      // Know the order's customer first (the first one seen stays: a later delivery
      // naming another does not move the order), and take the refunds that came before it.
      const { customerId, early } = await store.updateDocuments(shop.id, [orderRef(fact.orderId)], ([current]) => {
        const known = current as ConnectedOrder | undefined;
        const customerId = known?.customerId ?? buyer;
        if (known?.customerId && !known.waiting) return { values: [current], result: { customerId, early: [] } };
        return { values: [{ customerId }], result: { customerId, early: known?.waiting ?? [] } };
      });
      const events = [purchaseEvent(fact, customerId, now()), ...early.map((r) => refundEvent(r, customerId, now()))];
      results.push(...(await recordEvents(store, now, shop.id, events)));
    } else {
      const event = refundEvent(fact, '', now()); // dates checked before anything is kept
      const known = await store.updateDocuments(shop.id, [orderRef(fact.orderId)], ([current]) => {
        const order = (current as ConnectedOrder | undefined) ?? {};
        if (order.customerId) return { values: [current], result: order.customerId };
        const list = order.waiting ?? [];
        if (list.some((r) => r.refundId === fact.refundId)) return { values: [current], result: undefined };
        if (list.length >= MAX_WAITING) throw problems.validation([{ pointer: '/order_id', detail: `more than ${MAX_WAITING} refunds for an order Kudos has not seen` }]);
        return { values: [{ ...order, waiting: [...list, fact] }], result: undefined };
      });
      if (known === undefined) waiting++;
      else results.push(...(await recordEvents(store, now, shop.id, [{ ...event, customerId: known }])));
    }
  }
  return { results, waiting, surveys };
}
