// The persisted outbox: deliveries are feature documents, written in one atomic
// update with the facts' ids as keys, so a retry of the same facts adds nothing
// and a restart finds every pending delivery on disk.
import { balanceOf } from '../loyalty/engine/points.js';
import { sealText } from '../access/seal.js';
import { tierChanges } from './tier-changes.js';
import type { DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { factsOf, newDeliveries, type Delivery, type DeliveryLog, type PointsChange, type WebhookEndpoint, type WebhookFact } from './engine.js';

export const ENDPOINTS = 'webhooks';
export const DELIVERIES = 'webhook-deliveries';
export const LOGS = 'webhook-logs';

export const endpointRef = (id: string): DocumentRef => ({ collection: ENDPOINTS, id });
export const deliveryRef = (id: string): DocumentRef => ({ collection: DELIVERIES, id });
export const logRef = (endpointId: string): DocumentRef => ({ collection: LOGS, id: endpointId });

// The worker of the process that owns a store, woken when deliveries are added.
const wakers = new WeakMap<Store, () => void>();
export function onOutboxChange(store: Store, wake: (() => void) | undefined): void {
  if (wake) wakers.set(store, wake);
  else wakers.delete(store);
}
export const wakeWorker = (store: Store) => wakers.get(store)?.();

/** Called once, after events are stored: queue a delivery per fact and subscribed endpoint. */
export async function enqueueWebhookDeliveries(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
  outcomes: readonly EventOutcome[],
): Promise<void> {
  // Standings are kept whether or not anyone listens, so a new endpoint hears true changes.
  const tiers = await tierChanges(store, now, shopId, events, outcomes);
  const endpoints = (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.active);
  if (endpoints.length === 0) return;
  const at = now();
  const points = new Map<number, PointsChange>();
  if (endpoints.some((e) => e.events.includes('points.changed'))) {
    for (const [i, event] of events.entries()) {
      const ledger = (await store.getCustomer(shopId, event.customerId))?.ledger ?? [];
      const delta = ledger.filter((l) => l.eventId === event.id).reduce((sum, l) => sum + l.points, 0);
      const balance = balanceOf(ledger, at.toISOString());
      points.set(i, { delta, points: balance.available, pendingPoints: balance.pending });
    }
  }
  const deliveries = newDeliveries(shopId, endpoints, [...factsOf(events, outcomes, (i) => points.get(i)), ...tiers], at);
  await storeDeliveries(store, shopId, await notYetAttempted(store, shopId, deliveries));
}

/**
 * A replayed event yields the deliveries of the first time; those already attempted
 * (their documents are gone once finished) are not sent again. The per-endpoint log
 * is bounded, so a replay long after may deliver an id a second time: receivers
 * dedupe by the envelope `id`, as with any webhook retry.
 */
async function notYetAttempted(store: Store, shopId: string, deliveries: Delivery[]): Promise<Delivery[]> {
  const attempted = new Set<string>();
  for (const endpointId of new Set(deliveries.map((d) => d.endpointId))) {
    const log = await store.getDocument<DeliveryLog>(shopId, logRef(endpointId));
    for (const a of log?.attempts ?? []) attempted.add(a.deliveryId);
  }
  return deliveries.filter((d) => !attempted.has(d.id));
}

/** Facts that are not recorded events (an email to send for a shopper who is no customer yet). */
export async function enqueueWebhookFacts(store: Store, now: () => Date, shopId: string, facts: readonly WebhookFact[]): Promise<void> {
  const endpoints = (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.active);
  await storeDeliveries(store, shopId, newDeliveries(shopId, endpoints, facts, now()));
}

/** Endpoints of a shop that want `type`. */
export async function subscribers(store: Store, shopId: string, type: WebhookFact['type']): Promise<WebhookEndpoint[]> {
  return (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.active && e.events.includes(type));
}

// A body may carry a shopper's email (email.verification_requested) or customer ids: it waits
// in the store sealed (server/access/seal.ts), and the worker opens it to sign and send.
async function storeDeliveries(store: Store, shopId: string, plain: readonly Delivery[]): Promise<void> {
  if (plain.length === 0) return;
  const deliveries = plain.map((d) => ({ ...d, body: sealText(d.body) }));
  await store.updateDocuments(
    shopId,
    deliveries.map((d) => deliveryRef(d.id)),
    (current) => ({ values: deliveries.map((d, i) => (current[i] as Delivery | undefined) ?? d), result: undefined }),
  );
  wakeWorker(store);
}
