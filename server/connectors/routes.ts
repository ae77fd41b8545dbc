// No-code shop connections. `PUT /v1/connections/:id` (sk) stores the platform's
// signing secret and answers the URL to paste into the platform's webhook
// settings; `POST /v1/connect/:platform/:shopId/:connectionId` receives the
// platform's deliveries, verified over the raw body exactly as the platform signs.
import express, { Router, type Request } from 'express';
import { openText, sealText } from '../access/seal.js';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { page, PageQuery } from '../paging.js';
import { Slug } from '../schemas.js';
import type { Store } from '../store/store.js';
import { publicBaseUrl } from '../trophies/routes.js';
import { shopifyOrderFacts, shopifyRefundFacts, shopifyStockFacts, wooOrderFacts, wooStockFacts, type Fact, type StockFact } from './mapping.js';
import { ConnectionInput, ShopifyOrder, ShopifyProduct, ShopifyRefund, WooOrder, WooProduct, type Connection, type Platform } from './schemas.js';
import { setStockLevels } from '../forecast/ports.js';
import { datedAt } from '../history/bounds.js';
import { applyFacts, CONNECTIONS } from './service.js';
import { verifyPlatformSignature } from './signature.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** The topics to subscribe to on each platform (all pointing at the same URL). */
export const TOPICS: Record<Platform, string[]> = {
  shopify: ['orders/create', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'refunds/create', 'products/update'],
  woocommerce: ['order.created', 'order.updated', 'product.updated'],
};
const SHOPIFY_PRODUCT_TOPICS = new Set(['products/create', 'products/update']);
const WOO_PRODUCT_TOPICS = new Set(['product.created', 'product.updated', 'product.restored']);

/** Inventory deliveries: stock levels per SKU, or `null` for another topic. */
function stockOf(platform: Platform, topic: string, body: unknown, receivedAt: string): StockFact[] | null {
  if (platform === 'shopify' && SHOPIFY_PRODUCT_TOPICS.has(topic)) return shopifyStockFacts(parseOr400(ShopifyProduct, body), receivedAt);
  if (platform === 'woocommerce' && WOO_PRODUCT_TOPICS.has(topic)) return wooStockFacts(parseOr400(WooProduct, body), receivedAt);
  return null;
}
const SHOPIFY_ORDER_TOPICS = new Set(['orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled', 'orders/fulfilled']);
const WOO_ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.restored']);

const connectionRef = (id: string) => ({ collection: CONNECTIONS, id });

function viewOf(c: Connection, base: string, shopId: string) {
  return {
    id: c.id,
    platform: c.platform,
    ...(c.description !== undefined && { description: c.description }),
    deliveryUrl: `${base}/v1/connect/${c.platform}/${shopId}/${c.id}`,
    topics: TOPICS[c.platform],
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.lastDeliveryAt && { lastDeliveryAt: c.lastDeliveryAt, lastTopic: c.lastTopic }),
  };
}
/** What a key needs for each route of connectionsRouter: its feature's registry entry lists them (server/features.ts). */
export const connectionScopes: readonly RouteScope[] = [
  // Shopify / WooCommerce connections hold the platform's signing secret.
  routeScope('GET', '/connections', 'admin'),
  routeScope('GET', '/connections/:id', 'admin'),
  routeScope('PUT', '/connections/:id', 'admin'),
  routeScope('DELETE', '/connections/:id', 'admin'),
];

export function connectionsRouter(store: Store, now: () => Date, options: { publicUrl?: string } = {}): Router {
  const router = Router();
  // The URL the platform must reach: the configured public URL (behind a proxy), else this request's.
  const baseOf = (req: Request) => publicBaseUrl(req, options.publicUrl);
  router.use('/connections', requireSecretKey);
  const idOf = (raw: unknown) => parseOr400(Slug, raw, ['id']);

  router.get('/connections', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const query = parseOr400(PageQuery, { ...req.query });
    const connections = page(await store.listDocuments<Connection>(shopId, CONNECTIONS), (c) => c.id, query);
    res.json({ ...connections, data: connections.data.map((c) => viewOf(c, baseOf(req), shopId)) });
  });

  router.get('/connections/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const c = await store.getDocument<Connection>(shopId, connectionRef(idOf(req.params.id)));
    if (!c) throw problems.notFound(`No connection "${req.params.id}" in this shop.`);
    res.json(viewOf(c, baseOf(req), shopId));
  });

  router.put('/connections/:id', async (req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(req.params.id);
    const input = parseOr400(ConnectionInput, req.body);
    const at = now().toISOString();
    const { connection, created } = await store.updateDocuments(shopId, [connectionRef(id)], ([current]) => {
      const existing = current as Connection | undefined;
      const next: Connection = {
        ...existing,
        id,
        platform: input.platform,
        secret: sealText(input.secret),
        ...(input.description !== undefined && { description: input.description }),
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      return { values: [next], result: { connection: next, created: !existing } };
    });
    res.status(created ? 201 : 200).json(viewOf(connection, baseOf(req), shopId));
  });

  router.delete('/connections/:id', async (_req, res) => {
    const shopId = callerOf(res).shop.id;
    const id = idOf(_req.params.id);
    await store.updateDocuments(shopId, [connectionRef(id)], ([current]) => {
      if (!current) throw problems.notFound(`No connection "${id}" in this shop.`);
      return { values: [undefined], result: undefined };
    });
    res.status(204).end();
  });
  return router;
}

const badSignature = (platform: Platform) =>
  problems.unauthenticated(
    platform === 'shopify'
      ? 'X-Shopify-Hmac-Sha256 must be the base64 HMAC-SHA256 of the raw body with the signing secret of this connection.'
      : 'X-WC-Webhook-Signature must be the base64 HMAC-SHA256 of the raw body with the secret of this connection.',
  );

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw problems.malformedJson();
  }
}

/** What a delivery says, by platform and topic; `null` for topics Kudos has no use for (answered 200, nothing changes). */
function factsOf(platform: Platform, topic: string, body: unknown): Fact[] | null {
  if (platform === 'shopify') {
    if (topic === 'refunds/create') return shopifyRefundFacts(parseOr400(ShopifyRefund, body));
    if (!SHOPIFY_ORDER_TOPICS.has(topic)) return null;
    const order = parseOr400(ShopifyOrder, body);
    // Test orders (test gateway, "Send test notification") are acknowledged, never counted.
    return order.test ? [] : shopifyOrderFacts(topic, order);
  }
  if (!WOO_ORDER_TOPICS.has(topic)) return null;
  return wooOrderFacts(parseOr400(WooOrder, body));
}

/** The console shows the last verified delivery ("connected, last order …"). */
async function delivered(store: Store, now: () => Date, shopId: string, connectionId: string, topic: string): Promise<void> {
  await store.updateDocuments(shopId, [connectionRef(connectionId)], ([current]) => ({
    values: [current ? { ...(current as Connection), lastDeliveryAt: now().toISOString(), lastTopic: topic } : current],
    result: undefined,
  }));
}

export function connectRouter(store: Store, now: () => Date, bodyLimit: string, options: { publicUrl?: string } = {}): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: bodyLimit });
  router.post('/v1/connect/:platform/:shopId/:connectionId', raw, async (req, res) => {
    const platform = req.params.platform as Platform;
    if (platform !== 'shopify' && platform !== 'woocommerce') throw problems.notFound('Platforms: shopify, woocommerce.');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // WooCommerce pings a new webhook with an unsigned form body `webhook_id=N` and wants a 200.
    if (platform === 'woocommerce' && req.get('x-wc-webhook-signature') === undefined && /^webhook_id=\d{1,20}$/.test(body.toString('latin1'))) {
      res.json({ ok: true, ping: true });
      return;
    }
    const shopId = String(req.params.shopId);
    const connectionId = String(req.params.connectionId);
    const shop = /^shop_[A-Za-z0-9_-]{1,64}$/.test(shopId) ? await store.getShop(shopId) : undefined;
    const connection = shop && Slug.safeParse(connectionId).success ? await store.getDocument<Connection>(shop.id, connectionRef(connectionId)) : undefined;
    const header = platform === 'shopify' ? req.get('x-shopify-hmac-sha256') : req.get('x-wc-webhook-signature');
    // Unknown shop or connection, another platform's connection, bad signature: one answer.
    if (!shop || !connection || connection.platform !== platform || !verifyPlatformSignature(body, header, openText(connection.secret))) {
      throw badSignature(platform);
    }
    const topic = (platform === 'shopify' ? req.get('x-shopify-topic') : req.get('x-wc-webhook-topic')) ?? '';
    const payload = parseJson(body);
    const stock = stockOf(platform, topic, payload, now().toISOString());
    if (stock !== null) {
      // A product dated beyond the history bounds (clock skew) counts as of now.
      const levels = stock.map((l) => {
        const d = datedAt(l.at, now());
        return { ...l, at: 'at' in d ? d.at : now().toISOString() };
      });
      if (levels.length > 0) await setStockLevels(store, shop.id, levels);
      await delivered(store, now, shop.id, connection.id, topic);
      res.json({ ok: true, stock: levels.length });
      return;
    }
    const facts = factsOf(platform, topic, payload);
    if (facts === null) {
      res.json({ ok: true, ignored: topic || 'no topic' });
      return;
    }
    const outcome = await applyFacts(store, now, shop, facts, publicBaseUrl(req, options.publicUrl));
    await delivered(store, now, shop.id, connection.id, topic);
    res.json({ ok: true, results: outcome.results, waiting: outcome.waiting, ...(outcome.surveys.length > 0 && { surveys: outcome.surveys }) });
  });
  return router;
}
