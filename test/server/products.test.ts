// Buy-button products over HTTP: a real server on port 0, a real lowdb file,
// an injected clock and predictable reservation tokens.
import { openText } from '../../server/access/seal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { appHarness, type AppHarness, type HarnessCall } from '../helpers/app-harness.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString();
const DIRECTORY = 'https://eat-local.example';

const MUG = {
  name: 'Moon glaze mug',
  price: 28,
  currency: 'EUR',
  imageUrl: 'https://mia.example/mug.jpg',
  checkoutUrl: 'https://mia.example/cart?add=mug',
  availableFrom: iso(T0 - HOUR),
  availableUntil: iso(T0 + 24 * HOUR),
  stock: 50,
  holdMinutes: 10,
};

type CallInit = HarnessCall;
type Harness = AppHarness;

async function harness(): Promise<Harness> {
  let n = 0;
  const token = () => `t${String(++n).padStart(20, '0')}`;
  return appHarness({ t0: T0, shop: { name: 'Atelier Mia', origins: [DIRECTORY] }, app: { products: { token }, rateLimit: false } });
}

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return response.json();
}

let h: Harness;
const put = async (id: string, body: object, expected = 201) => {
  const r = await h.call(`/v1/products/${id}`, { method: 'PUT', key: h.shop.secretKey, body });
  expect(r.status).toBe(expected);
  return r.json();
};
const reserve = (id: string, init: CallInit = {}) => h.call(`/v1/products/${id}/reservations`, { body: { ref: DIRECTORY }, anon: 'anon-visitor-1', ...init });
const slugOf = (body: { type: string }) => body.type.split('/').pop();

beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h?.close();
});

describe('product setup and the auth matrix', () => {
  it('needs the secret key to write: a directory with the publishable key cannot create, change or sell', async () => {
    await problem(await h.call('/v1/products/mug', { method: 'PUT', body: MUG }), 403);
    await put('mug', MUG, 201);
    await problem(await h.call('/v1/products/mug', { method: 'PUT', body: { ...MUG, stock: 5000 } }), 403);
    // Nor may it confirm a reservation by claiming a purchase.
    const sale = await h.call('/v1/events', {
      anon: 'anon-visitor-1',
      body: { id: 'p1', type: 'purchase', properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_reservation: 'mug.t00000000000000000001' } },
    });
    await problem(sale, 403);
    expect((await (await h.call('/v1/products/mug')).json()).stock).toBe(50);
    await put('mug', { ...MUG, stock: 60 }, 200);
  });

  it('validates with pointers: https checkout only, strict fields, window order', async () => {
    const bad = await problem(
      await h.call('/v1/products/mug', {
        method: 'PUT',
        key: h.shop.secretKey,
        body: { ...MUG, checkoutUrl: 'http://mia.example/cart', availableUntil: iso(T0 - 2 * HOUR), surprise: 1 },
      }),
      400,
    );
    expect(bad.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/checkoutUrl', '/surprise']));
    const order = await problem(await h.call('/v1/products/mug', { method: 'PUT', key: h.shop.secretKey, body: { ...MUG, availableUntil: iso(T0 - 2 * HOUR) } }), 400);
    expect(order.errors).toEqual([{ pointer: '/availableUntil', detail: 'must be after availableFrom' }]);
    await problem(await h.call('/v1/products/Bad%20Id', { method: 'PUT', key: h.shop.secretKey, body: MUG }), 400);
  });

  it("answers 404 to another shop's key, for the view and for reservations", async () => {
    await put('mug', MUG);
    await problem(await h.call('/v1/products/mug', { shop: h.other }), 404);
    await problem(await reserve('mug', { shop: h.other }), 404);
    await problem(await h.call('/v1/products/nope'), 404);
  });
});

describe('public view: cacheable', () => {
  it('answers with an ETag and a short public Cache-Control, 304 on If-None-Match, a new ETag once stock moves', async () => {
    await put('mug', MUG);
    const first = await h.call('/v1/products/mug');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=5');
    expect(first.headers.get('vary')).toMatch(/Authorization/);
    expect(await first.json()).toMatchObject({ id: 'mug', state: 'open', remaining: 50, stock: 50, reserve: true, changesAt: MUG.availableUntil });

    const same = await h.call('/v1/products/mug', { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    // A weak or listed validator matches too.
    expect((await h.call('/v1/products/mug', { headers: { 'if-none-match': `"x", W/${etag}` } })).status).toBe(304);

    expect((await reserve('mug')).status).toBe(201);
    const moved = await h.call('/v1/products/mug', { headers: { 'if-none-match': etag } });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).not.toBe(etag);
    expect((await moved.json()).remaining).toBe(49);
  });

  it('keeps the owner view (sk) private, with sold and held counts', async () => {
    await put('mug', MUG);
    await reserve('mug');
    const owner = await h.call('/v1/products/mug', { key: h.shop.secretKey });
    expect(owner.headers.get('cache-control')).toBe('private, no-cache');
    expect(await owner.json()).toMatchObject({ checkoutUrl: MUG.checkoutUrl, sold: 0, held: 1, remaining: 49 });
  });
});

describe('reservations', () => {
  it('hold a unit and answer the checkout URL with the attribution and the token', async () => {
    await put('mug', MUG);
    const r = await reserve('mug');
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body).toEqual({ token: 'mug.t00000000000000000001', expiresAt: iso(T0 + 10 * MIN), checkoutUrl: expect.any(String) });
    const url = new URL(body.checkoutUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({ add: 'mug', kudos_src: 'directory', kudos_ref: DIRECTORY, kudos_reservation: body.token });
  });

  it('need a shopper (identity or anonymous id) and a real origin as ref', async () => {
    await put('mug', MUG);
    await problem(await h.call('/v1/products/mug/reservations', { body: {} }), 403);
    const bad = await problem(await reserve('mug', { body: { ref: 'https://eat-local.example/listing?x=1' } }), 400);
    expect(bad.errors[0].pointer).toBe('/ref');
    await problem(await reserve('mug', { headers: { 'x-kudos-customer': 'c1', 'x-kudos-customer-hash': 'f'.repeat(64) } }), 403);
  });

  it('answer unlimited products with the attributed URL and nothing held', async () => {
    await put('blend', { name: 'House blend', price: 12.5, currency: 'EUR', checkoutUrl: 'http://localhost:8787/checkout' });
    const r = await h.call('/v1/products/blend/reservations', { body: { ref: DIRECTORY } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.token).toBeNull();
    expect(body.checkoutUrl).toBe(`http://localhost:8787/checkout?kudos_src=directory&kudos_ref=${encodeURIComponent(DIRECTORY)}`);
  });

  it('never oversell: 200 concurrent buyers for 50 units get exactly 50 holds', async () => {
    await put('mug', MUG);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => reserve('mug', { as: `buyer-${String(i).padStart(3, '0')}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    const refusals = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.json()));
    expect(new Set(refusals.map(slugOf))).toEqual(new Set(['sold-out']));
    const tokens = new Set(await Promise.all(answers.filter((r) => r.status === 201).map(async (r) => (await r.json()).token)));
    expect(tokens.size).toBe(50);
    expect(await (await h.call('/v1/products/mug')).json()).toMatchObject({ state: 'sold-out', remaining: 0 });
  });

  it('are confirmed by the purchase carrying the token; expired holds give their unit back', async () => {
    await put('mug', { ...MUG, stock: 2 });
    const a = await (await reserve('mug', { as: 'buyer-a' })).json();
    await reserve('mug', { as: 'buyer-b' });
    await problem(await reserve('mug', { as: 'buyer-c' }), 409);

    const sale = await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: {
        id: 'purchase:o1',
        type: 'purchase',
        customerId: 'c1',
        properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_src: 'directory', kudos_ref: DIRECTORY, kudos_reservation: a.token },
      },
    });
    expect(sale.status).toBe(200);
    let owner = await (await h.call('/v1/products/mug', { key: h.shop.secretKey })).json();
    expect(owner).toMatchObject({ sold: 1, held: 1, remaining: 0 });

    // b never pays: ten minutes later the unit is back for c.
    h.clock.t = T0 + 10 * MIN;
    expect((await h.call('/v1/products/mug')).status).toBe(200);
    expect((await reserve('mug', { as: 'buyer-c' })).status).toBe(201);
    owner = await (await h.call('/v1/products/mug', { key: h.shop.secretKey })).json();
    expect(owner).toMatchObject({ sold: 1, held: 1, remaining: 0 });
  });

  it('tell the shop’s checkout, before it takes payment, whether the token would still count as a sale', async () => {
    await put('mug', { ...MUG, stock: 1 });
    const a = await (await reserve('mug', { as: 'buyer-a' })).json();
    const check = (token: string, key = h.shop.secretKey) => h.call(`/v1/products/mug/reservations/${token}`, { key });
    expect(await (await check(a.token)).json()).toEqual({ token: a.token, productId: 'mug', state: 'held', expiresAt: a.expiresAt, canConfirm: true });
    await problem(await check(a.token, h.shop.publishableKey), 403);
    await problem(await check(a.token, h.other.secretKey), 404);
    await problem(await check('not a token'), 400);

    // a lapses and b takes the only unit: paying with a's token now would not be a sale.
    h.clock.t = T0 + 10 * MIN;
    const b = await (await reserve('mug', { as: 'buyer-b' })).json();
    expect(await (await check(a.token)).json()).toMatchObject({ state: 'unknown', canConfirm: false });
    await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: { id: 'purchase:o2', type: 'purchase', customerId: 'c2', properties: { orderId: 'o2', total: 28, currency: 'EUR', kudos_reservation: b.token } },
    });
    expect(await (await check(b.token)).json()).toMatchObject({ state: 'confirmed', canConfirm: false });
  });

  it('respect the per-customer limit for a verified customer', async () => {
    await put('mug', { ...MUG, perCustomerLimit: 1 });
    const held = await (await reserve('mug', { as: 'c1' })).json();
    await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: { id: 'purchase:o1', type: 'purchase', customerId: 'c1', properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_reservation: held.token } },
    });
    const again = await problem(await reserve('mug', { as: 'c1' }), 409);
    expect(slugOf(again)).toBe('limit-reached');
    expect((await reserve('mug', { as: 'c2' })).status).toBe(201);
  });

  it('tell a signed-in customer at the per-customer limit so before they press (issue 18), privately', async () => {
    await put('mug', { ...MUG, perCustomerLimit: 1 });
    const view = (as?: string) => h.call('/v1/products/mug', as ? { as } : {});
    const before = await view('c1');
    expect((await before.json()).limitReached).toBe(false);
    expect(before.headers.get('cache-control')).toBe('private, no-cache');
    const held = await (await reserve('mug', { as: 'c1' })).json();
    await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: { id: 'purchase:o1', type: 'purchase', customerId: 'c1', properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_reservation: held.token } },
    });
    const after = await view('c1');
    expect((await after.json()).limitReached).toBe(true);
    expect(after.headers.get('vary')).toMatch(/X-Kudos-Customer/i);
    expect((await (await view('c2')).json()).limitReached).toBe(false);
    // The shared, cacheable answer says nothing about anyone.
    const anonymous = await view();
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=5');
    expect(await anonymous.json()).not.toHaveProperty('limitReached');
    // A claimed identity that does not verify is refused, not answered as anonymous.
    const forged = await h.call('/v1/products/mug', { headers: { 'x-kudos-customer': 'c1', 'x-kudos-customer-hash': '00' } });
    expect(forged.status).toBeGreaterThanOrEqual(400);
  });

  it('open early to verified badge holders only', async () => {
    await h.call('/v1/badges/regular', { method: 'PUT', key: h.shop.secretKey, body: { name: 'Regular', criteria: { event: 'purchase', count: 1 } } });
    await h.call('/v1/events', { key: h.shop.secretKey, body: { id: 'p0', type: 'purchase', customerId: 'fan', properties: { orderId: 'o0', total: 5, currency: 'EUR' } } });
    await put('mug', { ...MUG, availableFrom: iso(T0 + HOUR), earlyAccess: [{ opensAt: iso(T0 - HOUR), badge: 'regular' }] });
    const view = await (await h.call('/v1/products/mug')).json();
    expect(view).toMatchObject({ state: 'insiders', changesAt: iso(T0 + HOUR), insiders: [{ badge: { id: 'regular', name: 'Regular' } }] });
    expect(slugOf(await problem(await reserve('mug'), 403))).toBe('insiders-only');
    expect(slugOf(await problem(await reserve('mug', { as: 'newcomer' }), 403))).toBe('insiders-only');
    expect((await reserve('mug', { as: 'fan' })).status).toBe(201);
  });
});

describe('product.sold_out', () => {
  it('tells the shop once, with the sale that took the last unit', async () => {
    await put('mug', { ...MUG, stock: 2 });
    const hook = await h.call('/v1/webhooks/stock', { method: 'PUT', key: h.shop.secretKey, body: { url: 'https://backend.mia.example/kudos', events: ['product.sold_out'] } });
    expect(hook.status).toBe(201);
    const buy = async (who: string, orderId: string) => {
      const held = await (await reserve('mug', { as: who })).json();
      const body = { id: `purchase:${orderId}`, type: 'purchase', customerId: who, properties: { orderId, total: 28, currency: 'EUR', kudos_reservation: held.token } };
      await h.call('/v1/events', { key: h.shop.secretKey, body });
      await h.call('/v1/events', { key: h.shop.secretKey, body }); // a replay
    };
    const told = async () =>
      (await h.store.listDocuments<{ type: string; body: string }>(h.shop.id, DELIVERIES)).filter((d) => d.type === 'product.sold_out').map((d) => JSON.parse(openText(d.body)).data);
    await buy('c1', 'o1');
    expect(await told()).toEqual([]);
    await buy('c2', 'o2');
    expect(await told()).toEqual([{ productId: 'mug', stock: 2, orderId: 'o2', soldOutAt: new Date(T0).toISOString() }]);
  });
});

describe('views and clicks', () => {
  it('are recorded as product_view / directory_click with the directory as kudos_ref, for any shopper', async () => {
    await put('mug', MUG);
    const seen = await h.call('/v1/products/mug/interactions', { as: 'c7', body: { type: 'view', ref: DIRECTORY } });
    expect(seen.status).toBe(204);
    await h.call('/v1/products/mug/interactions', { as: 'c7', body: { type: 'click', ref: DIRECTORY } });
    const c7 = await h.store.getCustomer(h.shop.id, 'c7');
    expect(c7?.stats.product_view?.count).toBe(1);
    expect(c7?.stats.directory_click?.count).toBe(1);
    expect((await h.call('/v1/products/mug/interactions', { anon: 'anon-visitor-9', body: { type: 'view' } })).status).toBe(204);
    const bad = await problem(await h.call('/v1/products/mug/interactions', { as: 'c7', body: { type: 'buy', ref: 'not an origin', x: 1 } }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/ref', '/type', '/x']);
    await problem(await h.call('/v1/products/mug/interactions', { body: { type: 'view' } }), 403);
    await problem(await h.call('/v1/products/mug/interactions', { as: 'c7', shop: h.other, body: { type: 'view' } }), 404);
  });
});

describe('embedding anywhere', () => {
  it('answers any directory origin for the view, reservations and views/clicks, and nothing else', async () => {
    await put('mug', { ...MUG, stock: 5 });
    const elsewhere = 'https://another-guide.example';
    const preflight = await h.call('/v1/products/mug/reservations', {
      method: 'OPTIONS',
      headers: { origin: elsewhere, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(elsewhere);
    const view = await h.call('/v1/products/mug', { headers: { origin: elsewhere } });
    expect(view.status).toBe(200);
    expect(view.headers.get('access-control-allow-origin')).toBe(elsewhere);
    const held = await reserve('mug', { headers: { origin: elsewhere }, body: { ref: elsewhere } });
    expect(held.status).toBe(201);
    expect(held.headers.get('access-control-allow-origin')).toBe(elsewhere);
    expect((await h.call('/v1/products/mug/interactions', { anon: 'anon-visitor-3', body: { type: 'view', ref: elsewhere }, headers: { origin: elsewhere } })).status).toBe(204);
    // The rest of the API stays with the shop's registered origins.
    await problem(await h.call('/v1/events', { anon: 'anon-visitor-3', body: { id: 'e1', type: 'page_view' }, headers: { origin: elsewhere } }), 403);
    await problem(await h.call('/v1/products/mug', { key: h.shop.secretKey, headers: { origin: elsewhere } }), 403);
  });
});

describe('erasing a customer', () => {
  it('forgets whose holds and sales they were, and keeps them counted', async () => {
    await put('mug', { ...MUG, stock: 3 });
    const held = await (await reserve('mug', { as: 'c1' })).json();
    await reserve('mug', { as: 'c2' });
    await h.call('/v1/events', {
      key: h.shop.secretKey,
      body: { id: 'purchase:o1', type: 'purchase', customerId: 'c1', properties: { orderId: 'o1', total: 28, currency: 'EUR', kudos_reservation: held.token } },
    });
    const exported = await (await h.call('/v1/customers/c2/export', { key: h.shop.secretKey })).json();
    expect(exported.features.drops).toEqual([{ productId: 'mug', token: expect.stringMatching(/^mug\./), kind: 'hold', expiresAt: expect.any(String) }]);
    const erase = await h.call('/v1/customers/c1', { method: 'DELETE', key: h.shop.secretKey });
    expect(erase.status).toBeLessThan(300);
    const stock = JSON.stringify(await h.store.getDocument(h.shop.id, { collection: 'product-stock', id: 'mug' }));
    expect(stock).not.toContain('"c1"');
    expect(stock).toContain('"c2"');
    expect(await (await h.call('/v1/products/mug', { key: h.shop.secretKey })).json()).toMatchObject({ sold: 1, held: 1, remaining: 1 });
  });
});

describe('openapi', () => {
  it('documents the product paths', async () => {
    const doc = await (await h.call('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/products/{id}', '/v1/products/{id}/reservations']));
    expect(doc.components.schemas.PublicProduct).toBeDefined();
  });
});
