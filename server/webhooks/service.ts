// Outgoing webhook endpoints and their delivery log: the only webhook code that talks
// to the store (routes authenticate and validate; the engine decides).
import { needsSealing, resealed, sealText } from '../access/seal.js';
import { problems } from '../http/problem.js';
import { recordEvents } from '../events/record-events.js';
import { DELIVERIES_PENDING_BY_ENDPOINT } from './lookups.js';
import type { EventOutcome, Shop, Store } from '../store/store.js';
import { updateOne } from '../store/update-one.js';
import { deliveryView, endpointView, redeliver, rotate, type Delivery, type DeliveryLog, type WebhookEndpoint } from './engine.js';
import { deliveryRef, endpointRef, ENDPOINTS, logRef, wakeWorker } from './outbox.js';
import { eventOfOrder } from './order-events.js';
import type { OrderInput, WebhookEndpointInput } from './schemas.js';

export interface WebhookDeps {
  store: Store;
  now: () => Date;
}

const missing = (id: string) => problems.notFound(`No webhook endpoint "${id}" in this shop.`);

export async function listEndpoints({ store, now }: WebhookDeps, shopId: string) {
  const endpoints = await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS);
  return endpoints.map((e) => endpointView(e, now()));
}

async function endpointOf(store: Store, shopId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await store.getDocument<WebhookEndpoint>(shopId, endpointRef(id));
  if (!endpoint) throw missing(id);
  return endpoint;
}

export async function getEndpoint({ store, now }: WebhookDeps, shopId: string, id: string) {
  return endpointView(await endpointOf(store, shopId, id), now());
}

/** Creates or replaces an endpoint; a new one gets `secret`, shown once in the answer. */
export async function putEndpoint({ store, now }: WebhookDeps, shopId: string, id: string, input: WebhookEndpointInput, secret: string) {
  const at = now().toISOString();
  const { endpoint, created } = await store.updateDocuments(shopId, [endpointRef(id)], ([current]) => {
    const existing = current as WebhookEndpoint | undefined;
    const next: WebhookEndpoint = {
      id,
      url: input.url,
      events: [...new Set(input.events)],
      ...(input.description !== undefined && { description: input.description }),
      active: input.active ?? true,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      secrets: existing?.secrets ?? [{ secret: sealText(secret), createdAt: at }],
    };
    return { values: [next], result: { endpoint: next, created: !existing } };
  });
  return { created, view: endpointView(endpoint, now(), created ? secret : undefined) };
}

export async function deleteEndpoint({ store }: WebhookDeps, shopId: string, id: string): Promise<void> {
  await store.updateDocuments(shopId, [endpointRef(id), logRef(id)], ([current]) => {
    if (!current) throw missing(id);
    return { values: [undefined, undefined], result: undefined };
  });
}

export async function rotateEndpointSecret({ store, now }: WebhookDeps, shopId: string, id: string, secret: string) {
  const at = now();
  const endpoint = await store.updateDocuments(shopId, [endpointRef(id)], ([current]) => {
    if (!current) throw missing(id);
    const next = rotate(current as WebhookEndpoint, sealText(secret), at);
    return { values: [next], result: next };
  });
  return endpointView(endpoint, at, secret);
}

/** The endpoint's deliveries not yet delivered or given up (the worker's queue for it). */
export async function pendingDeliveriesOf({ store }: WebhookDeps, shopId: string, id: string) {
  await endpointOf(store, shopId, id);
  return (await store.findDocuments<Delivery>(DELIVERIES_PENDING_BY_ENDPOINT, { shopId, equals: id })).map((f) => deliveryView(f.value));
}

/** The endpoint's last 100 attempts (its delivery log), newest first. */
export async function attemptsOf({ store }: WebhookDeps, shopId: string, id: string) {
  await endpointOf(store, shopId, id);
  return (await store.getDocument<DeliveryLog>(shopId, logRef(id)))?.attempts ?? [];
}

export async function redeliverDelivery({ store, now }: WebhookDeps, shopId: string, id: string, deliveryId: string) {
  const at = now();
  const delivery = await store.updateDocuments(shopId, [endpointRef(id), deliveryRef(deliveryId)], ([endpoint, current]) => {
    const d = current as Delivery | undefined;
    if (!endpoint || !d || d.endpointId !== id) throw problems.notFound(`No delivery "${deliveryId}" for webhook endpoint "${id}".`);
    const next = redeliver(d, at);
    return { values: [endpoint, next], result: next };
  });
  wakeWorker(store);
  return deliveryView(delivery);
}

/** A signed order in, as the event it stands for (dated by the caller). */
export async function recordSignedOrder({ store, now }: WebhookDeps, shop: Shop, order: OrderInput, at: string): Promise<EventOutcome> {
  const [result] = await recordEvents(store, now, shop.id, [eventOfOrder({ ...order, occurredAt: at }, at)]);
  return result!;
}

/** Seals endpoint secrets written plain or under a previous sealing key (server/access/seal-at-rest.ts); how many endpoints changed. */
export async function resealEndpointSecrets(store: Store, shopId: string): Promise<number> {
  let changed = 0;
  for (const endpoint of await store.listDocuments<WebhookEndpoint>(shopId, ENDPOINTS)) {
    if (!endpoint.secrets?.some((s) => needsSealing(s.secret))) continue;
    const done = await updateOne<WebhookEndpoint>(store, shopId, endpointRef(endpoint.id), (e) =>
      e.secrets.some((s) => needsSealing(s.secret)) ? { ...e, secrets: e.secrets.map((s) => (needsSealing(s.secret) ? { ...s, secret: resealed(s.secret) } : s)) } : undefined,
    );
    if (done) changed++;
  }
  return changed;
}
