// No-code Shopify and WooCommerce connections: deliveries shaped and signed exactly as
// the platforms send them (fixtures in test/fixtures/platforms, sources in its README).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openText } from '../../server/access/seal.js';
import { emailCustomerId } from '../../server/email-claims/service.js';
import type { Delivery } from '../../server/webhooks/engine.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { webhookTestHeader } from '../../sdk/node.js';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'platforms', name), 'utf8'));
const SHOPIFY_SECRET = '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';
const WOO_SECRET = 'R9<v]k&2"Lq=wooSecret';

const open: AppHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function connected() {
  const h = await appHarness({ t0: T0, app: { rateLimit: false } });
  open.push(h);
  const shopify = await h.call('/v1/connections/shopify', { method: 'PUT', key: h.shop.secretKey, body: { platform: 'shopify', secret: SHOPIFY_SECRET } });
  const woo = await h.call('/v1/connections/woo', { method: 'PUT', key: h.shop.secretKey, body: { platform: 'woocommerce', secret: WOO_SECRET } });
  expect(shopify.status).toBe(201);
  expect(woo.status).toBe(201);
  const urls = { shopify: (await shopify.json()).deliveryUrl as string, woo: (await woo.json()).deliveryUrl as string };
  return { h, urls };
}

const sign = (raw: string, secret: string) => createHmac('sha256', secret).update(raw, 'utf8').digest('base64');

/** As Shopify posts: JSON body, topic and base64 HMAC headers. */
function shopify(url: string, topic: string, payload: unknown, signature?: string) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': signature ?? sign(raw, SHOPIFY_SECRET),
      'x-shopify-shop-domain': 'atelier-mia.myshopify.com',
      'x-shopify-api-version': '2025-10',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    },
    body: raw,
  });
}

/** As WooCommerce's WC_Webhook::deliver posts (pretty-printing is its own business: the signature covers the bytes). */
function woo(url: string, topic: string, payload: unknown, signature?: string) {
  const raw = JSON.stringify(payload, null, 1);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7)',
      'x-wc-webhook-source': 'https://woo.example/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': topic.split('.')[1]!,
      'x-wc-webhook-signature': signature ?? sign(raw, WOO_SECRET),
      'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': 'c3d6f0a1e2',
    },
    body: raw,
  });
}

const state = async (h: AppHarness, customerId: string) => (await h.call(`/v1/customers/${encodeURIComponent(customerId)}`, { key: h.shop.secretKey })).json();
const record = (h: AppHarness, customerId: string) => h.store.getCustomer(h.shop.id, customerId);

describe('connections', () => {
  it('are created with the secret key and show the URL and topics to paste, never the secret', async () => {
    const { h, urls } = await connected();
    expect(urls.shopify).toBe(`${h.url}/v1/connect/shopify/${h.shop.id}/shopify`);
    const list = await (await h.call('/v1/connections', { key: h.shop.secretKey })).json();
    expect(list.nextCursor).toBeNull();
    expect(list.data.map((c: { id: string; topics: string[] }) => [c.id, c.topics])).toEqual([
      ['shopify', ['orders/create', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'refunds/create', 'products/update']],
      ['woo', ['order.created', 'order.updated', 'product.updated']],
    ]);
    expect(JSON.stringify(list)).not.toContain(SHOPIFY_SECRET);
    expect((await h.call('/v1/connections')).status).toBe(403);
    const bad = await h.call('/v1/connections/x', { method: 'PUT', key: h.shop.secretKey, body: { platform: 'magento', secret: 'abcdefgh' } });
    expect(bad.status).toBe(400);
  });
});

describe('Shopify', () => {
  it('a paid order becomes a purchase of the Shopify customer with its items, code and date; redelivered or re-sent as orders/paid it counts once', async () => {
    const { h, urls } = await connected();
    const order = fixture('shopify-order-paid.json');
    const res = await shopify(urls.shopify, 'orders/create', order);
    expect(res.status).toBe(200);
    expect((await res.json()).results[0]).toMatchObject({ id: 'purchase:shopify-5610891362359', status: 'accepted' });
    for (const topic of ['orders/create', 'orders/paid']) expect((await shopify(urls.shopify, topic, order)).status).toBe(200);
    expect((await state(h, '7281930551607')).points).toBe(62);
    const saved = (await record(h, '7281930551607'))!;
    expect(saved.orders!['shopify-5610891362359']).toMatchObject({ total: 62.6, currency: 'EUR', at: '2026-05-20T08:15:01.000Z', code: 'KUDOS-REWARD-7QX' });
    expect(saved.stats.purchase!.count).toBe(1);
  });

  it('a delivery URL answers whatever the case of its fixed part, as Express matches paths', async () => {
    // Deliveries are routed before /v1 and only requests under /v1/connect enter those routes
    // (server/app.ts `under`): a platform that changed the case would otherwise meet /v1's key check.
    const { h, urls } = await connected();
    const res = await shopify(urls.shopify.replace('/v1/connect/', '/V1/Connect/'), 'orders/create', fixture('shopify-order-paid.json'));
    expect(res.status).toBe(200);
    expect((await res.json()).results[0]).toMatchObject({ id: 'purchase:shopify-5610891362359', status: 'accepted' });
    expect((await state(h, '7281930551607')).points).toBe(62);
  });

  it('refunds by Shopify refund id, partial included: points come back in proportion, once, even when the refund arrives before its order', async () => {
    for (const order of ['before', 'after'] as const) {
      const { h, urls } = await connected();
      const refund = fixture('shopify-refund.json');
      if (order === 'after') await shopify(urls.shopify, 'orders/paid', fixture('shopify-order-paid.json'));
      const first = await (await shopify(urls.shopify, 'refunds/create', refund)).json();
      expect(first.waiting).toBe(order === 'before' ? 1 : 0);
      await shopify(urls.shopify, 'refunds/create', refund);
      if (order === 'before') await shopify(urls.shopify, 'orders/paid', fixture('shopify-order-paid.json'));
      await shopify(urls.shopify, 'refunds/create', refund);
      // 62 points for 62.60; 21.60 refunded takes back round(62 × 21.60 / 62.60) = 21.
      expect((await state(h, '7281930551607')).points, order).toBe(41);
      const saved = (await record(h, '7281930551607'))!;
      expect(saved.orders!['shopify-5610891362359']!.refunded, order).toBe(21.6);
    }
  });

  it("a guest's order goes to the customer of their normalized email, the one a verified email claim makes", async () => {
    const { h, urls } = await connected();
    expect((await shopify(urls.shopify, 'orders/paid', fixture('shopify-order-guest.json'))).status).toBe(200);
    const guest = emailCustomerId(h.shop, 'guest.buyer@example.com');
    expect((await state(h, guest)).points).toBe(40);
    expect((await record(h, guest))!.orders!['shopify-5610891395127']).toMatchObject({ src: 'market', ref: 'stall-12' });
  });

  it('a cancelled paid order takes its points back; a test order and topics Kudos does not use change nothing', async () => {
    const { h, urls } = await connected();
    const cancelled = fixture('shopify-order-cancelled.json');
    expect((await shopify(urls.shopify, 'orders/cancelled', cancelled)).status).toBe(200);
    expect((await shopify(urls.shopify, 'orders/cancelled', cancelled)).status).toBe(200);
    const saved = (await record(h, '7281930551607'))!;
    expect(saved.orders!['shopify-5610891427895']!.refunded).toBe(30);
    expect((await state(h, '7281930551607')).points).toBe(0);
    const test = { ...fixture('shopify-order-paid.json'), id: 1, test: true };
    expect((await shopify(urls.shopify, 'orders/create', test)).status).toBe(200);
    const other = await shopify(urls.shopify, 'customers/update', { id: 1, email: 'mia@example.com' });
    expect(await other.json()).toEqual({ ok: true, ignored: 'customers/update' });
    // A product without tracked variants sets no stock (test/server/forecast.test.ts has the inventory).
    expect(await (await shopify(urls.shopify, 'products/update', { id: 1, title: 'Mug' })).json()).toEqual({ ok: true, stock: 0 });
    expect((await record(h, '7281930551607'))!.orders!['shopify-1']).toBeUndefined();
  });

  it('a bad signature is 401 and a malformed payload 400, and neither changes anything', async () => {
    const { h, urls } = await connected();
    const order = fixture('shopify-order-paid.json');
    const raw = JSON.stringify(order);
    expect((await shopify(urls.shopify, 'orders/paid', raw, sign(raw, 'another secret'))).status).toBe(401);
    expect((await shopify(urls.shopify, 'orders/paid', raw, sign(raw, SHOPIFY_SECRET).replace(/.$/, 'A'))).status).toBe(401);
    // Signed over other bytes (the body changed on the way).
    expect((await shopify(urls.shopify, 'orders/paid', raw.replace('62.60', '99.60'), sign(raw, SHOPIFY_SECRET))).status).toBe(401);
    // Right secret, wrong connection or shop in the URL.
    expect((await shopify(urls.shopify.replace(/shopify$/, 'woo'), 'orders/paid', raw)).status).toBe(401);
    expect((await shopify(urls.shopify.replace(h.shop.id, h.other.id), 'orders/paid', raw)).status).toBe(401);
    const malformed = await shopify(urls.shopify, 'orders/paid', '{"id": 5610891362359,');
    expect(malformed.status).toBe(400);
    const { total_price: _, ...noTotal } = order;
    const invalid = await shopify(urls.shopify, 'orders/paid', noTotal);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors[0].pointer).toBe('/total_price');
    expect(await record(h, '7281930551607')).toBeUndefined();
  });
});

describe('WooCommerce', () => {
  it("answers the unsigned ping a new webhook sends (form body webhook_id=N)", async () => {
    const { urls } = await connected();
    const ping = await fetch(urls.woo, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7)' },
      body: 'webhook_id=12',
    });
    expect(ping.status).toBe(200);
  });

  it('order.created and order.updated: a purchase of the WooCommerce customer, each listed refund once by its id, a cancellation takes the rest', async () => {
    const { h, urls } = await connected();
    const order = fixture('woocommerce-order.json');
    expect((await woo(urls.woo, 'order.created', order)).status).toBe(200);
    expect((await state(h, '26')).points).toBe(55);
    const saved = (await record(h, '26'))!.orders!['woo-727']!;
    expect(saved).toMatchObject({ total: 55.35, at: '2026-05-20T10:00:05.000Z', code: 'GROUP-7KX2' });
    const refunded = { ...order, date_modified_gmt: '2026-05-22T08:00:00', refunds: [{ id: 730, reason: 'Damaged', total: '-10.00' }] };
    await woo(urls.woo, 'order.updated', refunded);
    await woo(urls.woo, 'order.updated', refunded); // redelivered
    const partly = { ...refunded, refunds: [{ id: 731, reason: '', total: '-5.35' }, { id: 730, reason: 'Damaged', total: '-10.00' }] };
    await woo(urls.woo, 'order.updated', partly);
    expect((await record(h, '26'))!.orders!['woo-727']!.refunded).toBe(15.35);
    // 55 points; 15.35 of 55.35 refunded: round(55 × 15.35 / 55.35) = 15 back.
    expect((await state(h, '26')).points).toBe(40);
    await woo(urls.woo, 'order.updated', { ...partly, status: 'cancelled' });
    expect((await state(h, '26')).points).toBe(0);
  });

  it('an unpaid order counts nothing until it is paid; a bad signature is 401', async () => {
    const { h, urls } = await connected();
    const pending = { ...fixture('woocommerce-order.json'), status: 'on-hold', date_paid: null, date_paid_gmt: null };
    expect((await woo(urls.woo, 'order.created', pending)).status).toBe(200);
    expect(await record(h, '26')).toBeUndefined();
    expect((await woo(urls.woo, 'order.updated', fixture('woocommerce-order.json'), sign('{}', WOO_SECRET))).status).toBe(401);
    expect(await record(h, '26')).toBeUndefined();
  });
});

describe('a fulfilment asks the post-delivery survey', () => {
  /** A `delivery` survey asked on fulfilment, a `checkout` survey that is not, and an endpoint for the mail tool. */
  async function withSurveys() {
    const c = await connected();
    const sk = c.h.shop.secretKey;
    const question = { en: 'How did we do?' };
    expect((await c.h.call('/v1/surveys/delivery', { method: 'PUT', key: sk, body: { question, askOnFulfilment: true } })).status).toBe(201);
    expect((await c.h.call('/v1/surveys/checkout', { method: 'PUT', key: sk, body: { question, placement: 'cart' } })).status).toBe(201);
    const hook = await c.h.call('/v1/webhooks/mailer', { method: 'PUT', key: sk, body: { url: 'https://mail.example/kudos', events: ['nps.survey_requested'] } });
    expect(hook.status).toBe(201);
    return c;
  }
  const requested = async (h: AppHarness) =>
    (await h.store.listDocuments<Delivery>(h.shop.id, DELIVERIES))
      .map((d) => JSON.parse(openText(d.body)) as { type: string; data: Record<string, string> })
      .filter((d) => d.type === 'nps.survey_requested')
      .map((d) => d.data)
      .sort((a, b) => a.orderId!.localeCompare(b.orderId!));

  it('Shopify orders/fulfilled: one nps.survey_requested per order with the signed link and the order email, redeliveries asking nothing more', async () => {
    const { h, urls } = await withSurveys();
    expect((await shopify(urls.shopify, 'orders/paid', fixture('shopify-order-paid.json'))).status).toBe(200);
    const first = await shopify(urls.shopify, 'orders/fulfilled', fixture('shopify-order-fulfilled.json'));
    expect(first.status).toBe(200);
    expect((await first.json()).surveys).toEqual([{ surveyId: 'delivery', status: 'requested' }]);
    const again = await (await shopify(urls.shopify, 'orders/fulfilled', fixture('shopify-order-fulfilled.json'))).json();
    expect(again.surveys).toEqual([{ surveyId: 'delivery', status: 'duplicate' }]);
    // The same order seen fulfilled on orders/updated later: still asked once.
    expect((await (await shopify(urls.shopify, 'orders/updated', fixture('shopify-order-fulfilled.json'))).json()).surveys).toEqual([{ surveyId: 'delivery', status: 'duplicate' }]);

    const told = await requested(h);
    expect(told).toHaveLength(1);
    expect(told[0]).toEqual({
      surveyId: 'delivery',
      orderId: 'shopify-5610891362359',
      customerId: '7281930551607',
      email: 'Marie.Dupont@Example.com',
      fulfilledAt: '2026-05-28T14:40:10.000Z',
      url: expect.stringMatching(new RegExp(`^${h.url}/s/${h.shop.id}/delivery\\?c=7281930551607&o=shopify-5610891362359&h=[0-9a-f]{64}$`)),
    });
    // The link is the hosted page's: it opens and takes the answer, as post-delivery NPS.
    expect((await fetch(told[0]!.url!)).status).toBe(200);
    const answered = await fetch(told[0]!.url!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=9' });
    expect(await answered.text()).toContain('Your answer has been recorded.');
    const summary = await (await h.call('/v1/surveys/delivery/summary', { key: h.shop.secretKey })).json();
    expect(summary.channels.postDelivery).toEqual({ responses: 1, nps: 100 });
    // An order not yet (fully) fulfilled asks nothing.
    expect((await (await shopify(urls.shopify, 'orders/paid', { ...fixture('shopify-order-paid.json'), id: 5610891362360 })).json()).surveys).toBeUndefined();
  });

  it('WooCommerce order.updated to completed asks once; turned off, the next fulfilment asks nothing', async () => {
    const { h, urls } = await withSurveys();
    const processing = fixture('woocommerce-order.json');
    expect((await (await woo(urls.woo, 'order.updated', processing)).json()).surveys).toBeUndefined();
    const completed = { ...processing, status: 'completed', date_completed: '2026-05-25T09:30:00', date_completed_gmt: '2026-05-25T07:30:00' };
    expect((await (await woo(urls.woo, 'order.updated', completed)).json()).surveys).toEqual([{ surveyId: 'delivery', status: 'requested' }]);
    expect((await (await woo(urls.woo, 'order.updated', { ...completed, date_modified_gmt: '2026-05-26T10:00:00' })).json()).surveys).toEqual([{ surveyId: 'delivery', status: 'duplicate' }]);
    expect(await requested(h)).toEqual([
      expect.objectContaining({ surveyId: 'delivery', orderId: 'woo-727', customerId: '26', email: 'john.doe@example.com', fulfilledAt: '2026-05-25T07:30:00.000Z' }),
    ]);

    // The shop turns it off on the survey: the next completed order asks nothing.
    const off = await h.call('/v1/surveys/delivery', { method: 'PUT', key: h.shop.secretKey, body: { question: { en: 'How did we do?' }, askOnFulfilment: false } });
    expect(off.status).toBe(200);
    expect((await (await woo(urls.woo, 'order.updated', { ...completed, id: 728 })).json()).surveys).toBeUndefined();
    expect(await requested(h)).toHaveLength(1);
  });

  it("a backend's signed order.fulfilled asks the survey once, with the email only when it sent one", async () => {
    const { h } = await withSurveys();
    const send = (body: unknown) => {
      const raw = JSON.stringify(body);
      return fetch(`${h.url}/v1/webhooks/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'kudos-shop': h.shop.id, 'kudos-signature': webhookTestHeader(raw, h.shop.secretKey, Math.floor(h.clock.t / 1000)) },
        body: raw,
      });
    };
    const fulfilled = { type: 'order.fulfilled', orderId: 'A-1001', customerId: 'cust_42', occurredAt: '2026-05-31T18:00:00Z' };
    const first = await send(fulfilled);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ results: [], surveys: [{ surveyId: 'delivery', status: 'requested' }] });
    expect((await (await send(fulfilled)).json()).surveys).toEqual([{ surveyId: 'delivery', status: 'duplicate' }]);
    expect((await send({ ...fulfilled, orderId: 'A-1002', email: 'lea@example.com' })).status).toBe(200);
    const told = await requested(h);
    expect(told.map((d) => [d.orderId, d.customerId, d.email, d.fulfilledAt])).toEqual([
      ['A-1001', 'cust_42', undefined, '2026-05-31T18:00:00.000Z'],
      ['A-1002', 'cust_42', 'lea@example.com', '2026-05-31T18:00:00.000Z'],
    ]);
    expect(told[0]).not.toHaveProperty('email');
    // An order id a link cannot name (':') is refused before anything is kept.
    expect((await send({ ...fulfilled, orderId: 'a:b' })).status).toBe(400);
    expect(await requested(h)).toHaveLength(2);
  });
});
