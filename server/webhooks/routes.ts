// Outgoing webhook endpoints (sk) and signed orders in. Routes authenticate,
// validate, call the pure engine and the store.
import { identitySecretsOf } from '../access/secrets.js';
import { sealText } from '../access/seal.js';
import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { verifyWebhook } from '../../sdk/node.js';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { Slug } from '../schemas.js';
import { datedAt } from '../history/bounds.js';
import { recordEvents } from '../services/record-events.js';
import { DELIVERIES_PENDING_BY_ENDPOINT } from '../store/lookups.js';
import type { Store } from '../store/store.js';
import { deliveryView, endpointView, redeliver, rotate, type Delivery, type DeliveryLog, type WebhookEndpoint } from './engine.js';
import { deliveryRef, endpointRef, ENDPOINTS, logRef, wakeWorker } from './outbox.js';
import { eventOfOrder } from './order-events.js';
import { OrderInput, WebhookEndpointInput } from './schemas.js';
import { urlRefusal } from './ssrf.js';

export interface WebhooksOptions {
  /** Accept http://localhost and private addresses (KUDOS_ALLOW_PRIVATE_WEBHOOKS=1). */
  allowPrivate?: boolean;
  newSecret?: () => string;
}

// Standard base64 (24 bytes: 32 characters, no padding), as Standard Webhooks libraries decode it.
const defaultSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
/** `POST /v1/webhooks/orders` is the orders-in route; no endpoint may take its name. */
const RESERVED_IDS = new Set(['orders']);

export function webhooksRouter(store: Store, now: () => Date, options: WebhooksOptions = {}): Router {
  const allowPrivate = options.allowPrivate ?? false;
  const newSecret = options.newSecret ?? defaultSecret;
  const router = Router();
  router.use('/webhooks', requireSecretKey);

  const idOf = (raw: unknown) => parseOr400(Slug, raw, ['id']);
  const endpointOf = async (shopId: string, id: string) => {
    const endpoint = await store.getDocument<WebhookEndpoint>(shopId, endpointRef(id));
    if (!endpoint) throw problems.notFound(`No webhook endpoint "${id}" in this shop.`);
    return endpoint;
  };

  router.get('/webhooks', async (_req, res) => {
    const endpoints = await store.listDocuments<WebhookEndpoint>(callerOf(res).shop.id, ENDPOINTS);
    res.json({ webhooks: endpoints.map((e) => endpointView(e, now())) });
  });

  router.get('/webhooks/:id', async (req, res) => {
    res.json(endpointView(await endpointOf(callerOf(res).shop.id, idOf(req.params.id)), now()));
  });

  router.put('/webhooks/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    if (RESERVED_IDS.has(id)) throw problems.validation([{ pointer: '/id', detail: `"${id}" is reserved` }]);
    const input = parseOr400(WebhookEndpointInput, req.body);
    const refusal = urlRefusal(input.url, allowPrivate);
    if (refusal) throw problems.validation([{ pointer: '/url', detail: refusal }]);
    const at = now().toISOString();
    const secret = newSecret();
    const { endpoint, created } = await store.updateDocuments(shopId, [endpointRef(id)], ([current]) => {
      const existing = current as WebhookEndpoint | undefined;
      const next: WebhookEndpoint = {
        id,
        url: input.url,
        events: [...new Set(input.events)],
        ...(input.description !== undefined && { description: input.description }),
        enabled: input.enabled ?? true,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
        secrets: existing?.secrets ?? [{ secret: sealText(secret), createdAt: at }],
      };
      return { values: [next], result: { endpoint: next, created: !existing } };
    });
    res.status(created ? 201 : 200).json(endpointView(endpoint, now(), created ? secret : undefined));
  });

  router.delete('/webhooks/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    await store.updateDocuments(shopId, [endpointRef(id), logRef(id)], ([current]) => {
      if (!current) throw problems.notFound(`No webhook endpoint "${id}" in this shop.`);
      return { values: [undefined, undefined], result: undefined };
    });
    res.status(204).end();
  });

  router.post('/webhooks/:id/rotate', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    const at = now();
    const secret = newSecret();
    const endpoint = await store.updateDocuments(shopId, [endpointRef(id)], ([current]) => {
      if (!current) throw problems.notFound(`No webhook endpoint "${id}" in this shop.`);
      const next = rotate(current as WebhookEndpoint, sealText(secret), at);
      return { values: [next], result: next };
    });
    res.json(endpointView(endpoint, at, secret));
  });

  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    await endpointOf(shopId, id);
    const log = await store.getDocument<DeliveryLog>(shopId, logRef(id));
    const pending = (await store.findDocuments<Delivery>(DELIVERIES_PENDING_BY_ENDPOINT, { shopId, equals: id }))
      .map((f) => f.value)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(deliveryView);
    res.json({ attempts: log?.attempts ?? [], pending });
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    const deliveryId = String(req.params.deliveryId);
    const at = now();
    const delivery = await store.updateDocuments(shopId, [endpointRef(id), deliveryRef(deliveryId)], ([endpoint, current]) => {
      const d = current as Delivery | undefined;
      if (!endpoint || !d || d.endpointId !== id) throw problems.notFound(`No delivery "${deliveryId}" for webhook endpoint "${id}".`);
      const next = redeliver(d, at);
      return { values: [endpoint, next], result: next };
    });
    wakeWorker(store);
    res.status(202).json(deliveryView(delivery));
  });

  return router;
}

const badSignature = () =>
  problems.unauthenticated(
    'Send Kudos-Shop: <shop id> and Kudos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret key, t + "." + raw body)>, signed within the last 5 minutes.',
  );

/**
 * `POST /v1/webhooks/orders`: no API key; the raw body is signed with the shop's
 * identity secret (for shops without one, the secret key they sign identities
 * with), never with an API key Kudos could only keep as a digest. Mounted before the /v1 JSON parser because the signature covers
 * the exact bytes.
 */
export function ordersInRouter(store: Store, now: () => Date, bodyLimit: string): Router {
  const router = Router();
  router.post('/v1/webhooks/orders', express.raw({ type: 'application/json', limit: bodyLimit }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) throw problems.unsupportedMediaType();
    const shopId = req.get('kudos-shop') ?? '';
    // Unknown shop, bad or stale signature: one answer, so a caller learns nothing about which.
    const shop = /^shop_[A-Za-z0-9_-]{1,64}$/.test(shopId) ? await store.getShop(shopId) : undefined;
    const signature = req.get('kudos-signature');
    if (!shop || !identitySecretsOf(shop, now()).some((secret) => verifyWebhook(req.body, signature, secret, { now: now() }))) throw badSignature();
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw problems.malformedJson();
    }
    const order = parseOr400(OrderInput, body);
    const dated = datedAt(order.occurredAt, now());
    if ('refused' in dated) throw problems.validation([{ pointer: '/occurredAt', detail: dated.refused }]);
    const [result] = await recordEvents(store, now, shop.id, [eventOfOrder({ ...order, occurredAt: dated.at }, dated.at)]);
    res.json({ results: [result] });
  });
  return router;
}
