// Segments through the API: a drop's views, holds and sales counted as they
// happen, the customer it brought, and a micro-gift's customers apart.
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-03-10T10:00:00.000Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const open: AppHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const DROP = {
  name: 'Vinyl drop',
  price: 30,
  currency: 'EUR',
  imageUrl: 'https://mia.example/vinyl.jpg',
  checkoutUrl: 'https://mia.example/cart?add=vinyl',
  availableFrom: iso(T0 - HOUR),
  stock: 5,
};

describe('segments', () => {
  it('count views → holds → purchases per drop, the drop-acquired repeat rate and retention with a micro-gift', async () => {
    const h = await appHarness({ t0: T0, app: { rateLimit: false } });
    open.push(h);
    const sk = h.shop.secretKey;
    expect((await h.call('/v1/products/vinyl', { method: 'PUT', key: sk, body: DROP })).status).toBe(201);
    const gift = { name: 'Welcome', gift: { kind: 'points', points: 5 }, rule: { kind: 'firstOrder' } };
    expect((await h.call('/v1/gifts/welcome', { method: 'PUT', key: sk, body: gift })).status).toBe(201);
    for (const who of ['ana', 'bo', 'cy']) expect((await h.call('/v1/products/vinyl/interactions', { as: who, body: { type: 'view' } })).status).toBe(204);
    const ana = await (await h.call('/v1/products/vinyl/reservations', { as: 'ana', body: {} })).json();
    // Asked again, ana's running hold is handed back: one hold.
    expect((await (await h.call('/v1/products/vinyl/reservations', { as: 'ana', body: {} })).json()).token).toBe(ana.token);
    await h.call('/v1/products/vinyl/reservations', { as: 'bo', body: {} });
    const purchase = (orderId: string, customerId: string, extra: Record<string, string> = {}) => ({
      id: `purchase:${orderId}`,
      type: 'purchase',
      customerId,
      properties: { orderId, total: 30, currency: 'EUR', ...extra },
    });
    // ana's first order is the drop sale (sent twice: counted once); she comes back later. dee buys plainly, once.
    for (let i = 0; i < 2; i++) expect((await h.call('/v1/events', { key: sk, body: purchase('d1', 'ana', { kudos_reservation: ana.token }) })).status).toBe(200);
    expect((await h.call('/v1/events', { key: sk, body: purchase('o2', 'ana') })).status).toBe(200);
    expect((await h.call('/v1/events', { key: sk, body: purchase('o3', 'dee') })).status).toBe(200);

    const res = await h.call('/v1/segments?from=2026-03-09&to=2026-03-16', { key: sk });
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.drops).toEqual([{ productId: 'vinyl', name: 'Vinyl drop', views: 3, holds: 2, purchases: 1, holdRate: 0.6667, purchaseRate: 0.5, conversion: 0.3333 }]);
    expect(s.dropAcquired).toEqual({ cohort: 1, retained: 1, rate: 1 });
    // The first-order gift went to ana and dee (both first orders); ana came back.
    expect(s.giftRetention).toEqual({ gifted: { cohort: 2, retained: 1, rate: 0.5 }, notGifted: { cohort: 0, retained: 0, rate: null } });
    expect((await h.call('/v1/segments')).status).toBe(403);
    expect((await h.call('/v1/segments?from=2026-03-20&to=2026-03-01', { key: sk })).status).toBe(400);
  });
});
