// Outgoing webhook endpoints (sk) and signed orders in. Routes authenticate and
// validate; server/webhooks/service.ts does the rest.
import { identitySecretsOf } from '../access/secrets.js';
import { randomBytes } from 'node:crypto';
import express, { Router, type Response } from 'express';
import { verifyWebhook } from '../../sdk/node.js';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { createdKey, page, PageQuery } from '../paging.js';
import { Slug } from '../schemas.js';
import { datedAt } from '../history/bounds.js';
import type { Store } from '../store/store.js';
import { SignedOrderInput, WebhookEndpointInput } from './schemas.js';
import { requestPostDeliverySurveys } from '../surveys/ports.js';
import { publicBaseUrl } from '../trophies/routes.js';
import { urlRefusal } from './ssrf.js';
import { attemptsOf, deleteEndpoint, getEndpoint, listEndpoints, pendingDeliveriesOf, putEndpoint, recordSignedOrder, redeliverDelivery, rotateEndpointSecret } from './service.js';
import { configAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

export interface WebhooksOptions {
  /** Accept http://localhost and private addresses (KUDOS_ALLOW_PRIVATE_WEBHOOKS=1). */
  allowPrivate?: boolean;
  newSecret?: () => string;
}

// Standard base64 (24 bytes: 32 characters, no padding), as Standard Webhooks libraries decode it.
const defaultSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
/** `POST /v1/webhooks/orders` is the orders-in route; no endpoint may take its name. */
const RESERVED_IDS = new Set(['orders']);

/** What a key needs for each route of webhooksRouter: its feature's registry entry lists them (server/features.ts). */
export const webhookScopes: readonly RouteScope[] = [
  routeScope('GET', '/webhooks', 'admin'),
  routeScope('GET', '/webhooks/:id', 'admin'),
  routeScope('PUT', '/webhooks/:id', 'admin'),
  routeScope('DELETE', '/webhooks/:id', 'admin'),
  configAudit(routeScope('POST', '/webhooks/:id/rotate', 'admin')),
  routeScope('GET', '/webhooks/:id/deliveries', 'admin'),
  routeScope('GET', '/webhooks/:id/attempts', 'admin'),
  routeScope('POST', '/webhooks/:id/deliveries/:deliveryId/redeliver', 'admin'),
];

export function webhooksRouter(store: Store, now: () => Date, options: WebhooksOptions = {}): Router {
  const allowPrivate = options.allowPrivate ?? false;
  const newSecret = options.newSecret ?? defaultSecret;
  const deps = { store, now };
  const router = Router();
  router.use('/webhooks', requireSecretKey);

  const idOf = (raw: unknown) => parseOr400(Slug, raw, ['id']);
  const shopOf = (res: Response) => callerOf(res).shop.id;

  router.get('/webhooks', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(await listEndpoints(deps, shopOf(res)), createdKey, query));
  });

  router.get('/webhooks/:id', async (req, res) => {
    res.json(await getEndpoint(deps, shopOf(res), idOf(req.params.id)));
  });

  router.put('/webhooks/:id', async (req, res) => {
    const id = idOf(req.params.id);
    if (RESERVED_IDS.has(id)) throw problems.validation([{ pointer: '/id', detail: `"${id}" is reserved` }]);
    const input = parseOr400(WebhookEndpointInput, req.body);
    const refusal = urlRefusal(input.url, allowPrivate);
    if (refusal) throw problems.validation([{ pointer: '/url', detail: refusal }]);
    const { created, view } = await putEndpoint(deps, shopOf(res), id, input, newSecret());
    res.status(created ? 201 : 200).json(view);
  });

  router.delete('/webhooks/:id', async (req, res) => {
    await deleteEndpoint(deps, shopOf(res), idOf(req.params.id));
    res.status(204).end();
  });

  router.post('/webhooks/:id/rotate', async (req, res) => {
    res.json(await rotateEndpointSecret(deps, shopOf(res), idOf(req.params.id), newSecret()));
  });

  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(await pendingDeliveriesOf(deps, shopOf(res), idOf(req.params.id)), createdKey, query));
  });

  router.get('/webhooks/:id/attempts', async (req, res) => {
    const query = parseOr400(PageQuery, { ...req.query });
    res.json(page(await attemptsOf(deps, shopOf(res), idOf(req.params.id)), (a) => `${a.at}\u0000${a.deliveryId}`, query, 'desc'));
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    res.status(202).json(await redeliverDelivery(deps, shopOf(res), idOf(req.params.id), String(req.params.deliveryId)));
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
export function ordersInRouter(store: Store, now: () => Date, bodyLimit: string, options: { publicUrl?: string } = {}): Router {
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
    const order = parseOr400(SignedOrderInput, body);
    const dated = datedAt(order.occurredAt, now());
    if ('refused' in dated) throw problems.validation([{ pointer: '/occurredAt', detail: dated.refused }]);
    if (order.type === 'order.fulfilled') {
      const { orderId, customerId, email } = order;
      const surveys = await requestPostDeliverySurveys(store, now, shop, publicBaseUrl(req, options.publicUrl), { orderId, customerId, at: dated.at, ...(email && { email }) });
      return void res.json({ results: [], surveys });
    }
    res.json({ results: [await recordSignedOrder({ store, now }, shop, order, dated.at)] });
  });
  return router;
}
