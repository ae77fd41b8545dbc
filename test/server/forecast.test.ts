// Forecast accuracy through the API: dated orders with line items (history
// import, live events, Shopify and WooCommerce), stock levels by API and by the
// platforms' product webhooks, the hand-computed figures of test/engine/forecast.test.ts.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-03-20T12:00:00.000Z');
const open: AppHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
async function harness(t0 = T0) {
  const h = await appHarness({ t0, app: { rateLimit: false } });
  open.push(h);
  return h;
}
const sk = (h: AppHarness) => h.shop.secretKey;
const order = (orderId: string, day: string, items: string) => ({
  type: 'order.created',
  orderId,
  customerId: 'c1',
  total: 10,
  currency: 'EUR',
  occurredAt: `${day}T10:00:00Z`,
  items,
});

// SKU A: 4, 2, 4 before the period, 3 and 1 in it; F: one a day from 03-13. (test/engine/forecast.test.ts)
const HISTORY = [
  order('o1', '2026-03-02', 'A*4'),
  order('o2', '2026-03-03', 'A*2'),
  order('o3', '2026-03-05', 'A*4'),
  order('o4', '2026-03-10', 'A*3'),
  order('o5', '2026-03-12', 'A*1'),
  order('o6', '2026-03-13', 'F*1'),
  order('o7', '2026-03-14', 'F*1'),
];

describe('forecast accuracy', () => {
  it('counts SKUs inside the target range and the WAPE of the forecast made at the period start, each order once', async () => {
    const h = await harness();
    const settings = { alpha: 0.5, lookbackDays: 7, targetDays: { min: 5, max: 20 } };
    expect((await h.call('/v1/forecast/settings', { method: 'PUT', key: sk(h), body: settings })).status).toBe(200);
    const imported = await h.call('/v1/history/orders', { key: sk(h), body: { orders: HISTORY } });
    expect(imported.status).toBe(200);
    // A re-run of the import and a live event for an order already counted change nothing.
    expect((await (await h.call('/v1/history/orders', { key: sk(h), body: { orders: HISTORY } })).json()).duplicates).toBe(7);
    const live = { id: 'purchase:o8', type: 'purchase', customerId: 'c1', occurredAt: '2026-03-15T09:00:00Z', properties: { orderId: 'o8', total: 5, currency: 'EUR', sku: 'F', quantity: 1 } };
    for (let i = 0; i < 2; i++) expect((await h.call('/v1/events', { key: sk(h), body: live })).status).toBe(200);
    const stock = await h.call('/v1/stock', {
      key: sk(h),
      body: {
        levels: [
          { sku: 'A', onHand: 2, at: '2026-03-01T00:00:00Z' },
          { sku: 'F', onHand: 10, at: '2026-03-15T23:00:00Z' },
          // After the period: not what the period is judged by.
          { sku: 'F', onHand: 0, at: '2026-03-17T00:00:00Z' },
        ],
      },
    });
    expect(stock.status).toBe(200);
    const res = await h.call('/v1/forecast?from=2026-03-09&to=2026-03-16', { key: sk(h) });
    expect(res.status).toBe(200);
    const f = await res.json();
    expect({ skus: f.skus, inRange: f.inRange, rate: f.rate, heldOutDays: f.heldOutDays, soldUnits: f.soldUnits }).toEqual({ skus: 2, inRange: 2, rate: 1, heldOutDays: 7, soldUnits: 7 });
    // (|4 − 2.40625| + |3 − 0|) / 7
    expect(f.wape).toBe(0.6563);
    expect(f.perSku.map((s: { sku: string; stockDays: number }) => [s.sku, s.stockDays])).toEqual([
      ['A', 12.8],
      ['F', 10],
    ]);
    // GET /v1/metrics carries the same KPI, with its definition.
    const m = await (await h.call('/v1/metrics?from=2026-03-09&to=2026-03-16', { key: sk(h) })).json();
    expect({ rate: m.forecastAccuracy.rate, wape: m.forecastAccuracy.wape }).toEqual({ rate: 1, wape: 0.6563 });
    expect(m.definitions.forecastAccuracy).toMatch(/WAPE/);
    // Judged now, F's last level (0) is below the range.
    const nowView = await (await h.call('/v1/forecast?from=2026-03-09', { key: sk(h) })).json();
    expect(nowView.perSku.find((s: { sku: string }) => s.sku === 'F')).toMatchObject({ onHand: 0, status: 'below' });
  });

  it('refuses bad input with problem+json and keeps stock and forecasts to secret keys', async () => {
    const h = await harness();
    for (const body of [
      { levels: [{ sku: 'has space', onHand: 1 }] },
      { levels: [{ sku: 'A', onHand: -1 }] },
      { levels: [{ sku: 'A', onHand: 1, at: '2026-03-21T00:00:00Z' }] },
      { levels: [{ sku: 'A', onHand: 1 }], extra: true },
    ]) {
      const res = await h.call('/v1/stock', { key: sk(h), body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const bad = await h.call('/v1/forecast/settings', { method: 'PUT', key: sk(h), body: { alpha: 0.3, lookbackDays: 28, targetDays: { min: 30, max: 10 } } });
    expect(bad.status).toBe(400);
    expect((await h.call('/v1/forecast', { key: h.shop.publishableKey })).status).toBe(403);
    expect((await h.call('/v1/stock', { key: h.shop.publishableKey, body: { levels: [{ sku: 'A', onHand: 1 }] } })).status).toBe(403);
    // Defaults until the shop sets its own.
    expect(await (await h.call('/v1/forecast/settings', { key: sk(h) })).json()).toEqual({ alpha: 0.3, lookbackDays: 56, targetDays: { min: 14, max: 60 } });
  });
});

describe('forecast from the platforms', () => {
  const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'platforms', name), 'utf8');
  const sign = (raw: string, secret: string) => createHmac('sha256', secret).update(raw, 'utf8').digest('base64');

  it('takes stock from Shopify products/update and WooCommerce product.updated, and units from order line items', async () => {
    const h = await harness(Date.parse('2026-06-01T12:00:00.000Z'));
    const connect = async (id: string, platform: string, secret: string) =>
      (await (await h.call(`/v1/connections/${id}`, { method: 'PUT', key: sk(h), body: { platform, secret } })).json()).deliveryUrl as string;
    const shopifyUrl = await connect('shopify', 'shopify', 'shpss_0123456789abcdef');
    const wooUrl = await connect('woo', 'woocommerce', 'woo-secret-0123');
    const post = (url: string, topic: string, raw: string, header: string, secret: string, topicHeader: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [topicHeader]: topic, [header]: sign(raw, secret) }, body: raw });
    const shopifyPost = (topic: string, raw: string) => post(shopifyUrl, topic, raw, 'x-shopify-hmac-sha256', 'shpss_0123456789abcdef', 'x-shopify-topic');
    const product = fixture('shopify-product-update.json');
    const stocked = await shopifyPost('products/update', product);
    expect(stocked.status).toBe(200);
    expect((await stocked.json()).stock).toBe(1); // the untracked gift-wrap variant is not stock
    const woo = await post(wooUrl, 'product.updated', fixture('woocommerce-product.json'), 'x-wc-webhook-signature', 'woo-secret-0123', 'x-wc-webhook-topic');
    expect(woo.status).toBe(200);
    // A paid order, delivered twice: its line items count once.
    const paid = fixture('shopify-order-paid.json');
    for (let i = 0; i < 2; i++) expect((await shopifyPost('orders/paid', paid)).status).toBe(200);
    // A bad signature on a product changes nothing.
    const forged = await post(shopifyUrl, 'products/update', product.replace('"inventory_quantity": 18', '"inventory_quantity": 999'), 'x-shopify-hmac-sha256', 'wrong-secret-000', 'x-shopify-topic');
    expect(forged.status).toBe(401);
    const f = await (await h.call('/v1/forecast?from=2026-05-01', { key: sk(h) })).json();
    const bySku = Object.fromEntries(f.perSku.map((s: { sku: string }) => [s.sku, s]));
    expect(bySku['MUG-SAGE']).toMatchObject({ onHand: 18, stockSetAt: '2026-05-30T14:40:02.000Z', soldUnits: 2 });
    expect(bySku['TOWEL-LIN']).toMatchObject({ onHand: 7, stockSetAt: '2026-05-30T16:20:11.000Z', soldUnits: 1 });
    expect(bySku['MUG-SAGE-GIFTWRAP']).toBeUndefined();
  });
});
