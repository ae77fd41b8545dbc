// The persisted outbox: deliveries are feature documents, written in one atomic
// update with the facts' ids as keys, so a retry of the same facts adds nothing
// and a restart finds every pending delivery on disk.
import { balanceOf } from '../engine/points.js';
import type { DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { factsOf, newDeliveries, type Delivery, type PointsChange, type WebhookEndpoint, type WebhookFact } from './engine.js';

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
  if (!outcomes.some((o) => o.status === 'accepted')) return;
  const endpoints = (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.enabled);
  if (endpoints.length === 0) return;
  const at = now();
  const points = new Map<number, PointsChange>();
  if (endpoints.some((e) => e.events.includes('points.changed'))) {
    for (const [i, event] of events.entries()) {
      if (outcomes[i]?.status !== 'accepted') continue;
      const ledger = (await store.getCustomer(shopId, event.customerId))?.ledger ?? [];
      const delta = ledger.filter((l) => l.eventId === event.id).reduce((sum, l) => sum + l.points, 0);
      const balance = balanceOf(ledger, at.toISOString());
      points.set(i, { delta, points: balance.available, pendingPoints: balance.pending });
    }
  }
  await storeDeliveries(store, shopId, newDeliveries(shopId, endpoints, factsOf(events, outcomes, (i) => points.get(i)), at));
}

/** Facts that are not recorded events (an email to send for a shopper who is no customer yet). */
export async function enqueueWebhookFacts(store: Store, now: () => Date, shopId: string, facts: readonly WebhookFact[]): Promise<void> {
  const endpoints = (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.enabled);
  await storeDeliveries(store, shopId, newDeliveries(shopId, endpoints, facts, now()));
}

/** Endpoints of a shop that want `type`. */
export async function subscribers(store: Store, shopId: string, type: WebhookFact['type']): Promise<WebhookEndpoint[]> {
  return (await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)).filter((e) => e.enabled && e.events.includes(type));
}

async function storeDeliveries(store: Store, shopId: string, deliveries: readonly Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await store.updateDocuments(
    shopId,
    deliveries.map((d) => deliveryRef(d.id)),
    (current) => ({ values: deliveries.map((d, i) => (current[i] as Delivery | undefined) ?? d), result: undefined }),
  );
  wakeWorker(store);
}
