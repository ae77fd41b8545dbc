// Issue 13, the store's side: what a holder of the public (publishable) key can
// never do — pre-empt a backend event id, grow the store without bound, break
// another shop, mint points from browser events — and what an id means.
// One test per guarantee, each named after it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookTestHeader } from '../../sdk/node.js';
import { BROWSER_SAFE_EVENT_TYPES } from '../../server/events/schemas.js';
import { identityHeaders, purchase, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
let clock = new Date('2026-11-02T10:00:00.000Z');
const sk = () => t.shop.secretKey;
const pk = () => t.shop.publishableKey;
const anon = (id: string) => ({ 'x-kudos-anonymous-id': id.padEnd(8, '0') });

beforeAll(async () => {
  t = await startTestServer({ now: () => clock, rateLimit: false });
});
afterAll(() => t.dispose());

const points = async (customerId: string, shop = t.shop) =>
  (await (await t.call(`/v1/customers/${customerId}`, { key: shop.secretKey })).json()).points as number;

const sendOrder = (body: unknown) => {
  const raw = JSON.stringify(body);
  const signature = webhookTestHeader(raw, sk(), Math.floor(clock.getTime() / 1000));
  return t.call('/v1/webhooks/orders', { rawBody: raw, headers: { 'kudos-shop': t.shop.shopId, 'kudos-signature': signature } });
};

describe('browser ids live in their own namespace', () => {
  it('a browser event can never pre-empt a purchase id', async () => {
    // The attacker knows the next order number and sends its derived id first, as a page view.
    const browser = await t.call('/v1/events', { key: pk(), headers: anon('attacker1'), body: { id: 'purchase:1001', type: 'page_view' } });
    expect(browser.status).toBe(200);
    expect((await browser.json()).results[0]).toMatchObject({ id: 'purchase:1001', status: 'accepted' });
    const signed = await sendOrder({ type: 'order.created', orderId: '1001', customerId: 'ann', total: 24, currency: 'EUR' });
    expect((await signed.json()).results[0]).toMatchObject({ id: 'purchase:1001', status: 'accepted' });
    // The same through POST /v1/events with the secret key, and with a verified shopper's browser.
    await t.call('/v1/events', { key: pk(), headers: identityHeaders(t.shop, 'ann'), body: { id: 'order-77', type: 'page_view' } });
    const backend = await t.call('/v1/events', { key: sk(), body: purchase('order-77', 'ann', 10) });
    expect((await backend.json()).results[0]).toMatchObject({ id: 'order-77', status: 'accepted' });
    expect(await points('ann')).toBe(34);
  });

  it('a browser event can never pre-empt a refund id', async () => {
    await sendOrder({ type: 'order.created', orderId: '1003', customerId: 'bea', total: 50, currency: 'EUR' });
    await t.call('/v1/events', { key: pk(), headers: identityHeaders(t.shop, 'bea'), body: { id: 'refund:1003:re_1', type: 'page_view' } });
    const refund = await sendOrder({ type: 'order.refunded', orderId: '1003', refundId: 're_1', customerId: 'bea', amount: 50 });
    expect((await refund.json()).results[0]).toMatchObject({ id: 'refund:1003:re_1', status: 'accepted' });
    expect(await points('bea')).toBe(0);
  });

  it('a browser replay of its own event stays a duplicate for that visitor only', async () => {
    const first = await t.call('/v1/events', { key: pk(), headers: anon('visitor01'), body: { id: 'pv-1', type: 'page_view' } });
    expect((await first.json()).results[0].status).toBe('accepted');
    const again = await t.call('/v1/events', { key: pk(), headers: anon('visitor01'), body: { id: 'pv-1', type: 'page_view' } });
    expect((await again.json()).results[0]).toMatchObject({ id: 'pv-1', status: 'duplicate' });
    const other = await t.call('/v1/events', { key: pk(), headers: anon('visitor02'), body: { id: 'pv-1', type: 'page_view' } });
    expect((await other.json()).results[0].status).toBe('accepted');
  });
});

describe('orders in', () => {
  it('two equal partial refunds through orders-in both count, and a resend of one counts once', async () => {
    await sendOrder({ type: 'order.created', orderId: '2001', customerId: 'cy', total: 100, currency: 'EUR' });
    const refund = (refundId: string) => ({ type: 'order.refunded', orderId: '2001', refundId, customerId: 'cy', amount: 30 });
    expect((await (await sendOrder(refund('re_a'))).json()).results[0].status).toBe('accepted');
    expect((await (await sendOrder(refund('re_b'))).json()).results[0].status).toBe('accepted');
    expect((await (await sendOrder(refund('re_a'))).json()).results[0].status).toBe('duplicate');
    expect(await points('cy')).toBe(40);
  });

  it('a refund without refundId needs its occurredAt, so equal refunds are told apart', async () => {
    const bare = await sendOrder({ type: 'order.refunded', orderId: '2001', customerId: 'cy', amount: 5 });
    expect(bare.status).toBe(400);
    expect((await bare.json()).errors).toEqual([expect.objectContaining({ pointer: '/refundId' })]);
    const dated = await sendOrder({ type: 'order.refunded', orderId: '2001', customerId: 'cy', amount: 5, occurredAt: '2026-11-02T09:00:00Z' });
    expect((await dated.json()).results[0]).toMatchObject({ id: 'refund:2001:at:2026-11-02T09:00:00.000Z', status: 'accepted' });
  });
});

describe('an id is an idempotency key', () => {
  it('an event id reused with different content is a 409 conflict; an identical replay stays duplicate', async () => {
    const first = await t.call('/v1/events', { key: sk(), body: purchase('idem-1', 'dan', 10) });
    expect((await first.json()).results[0].status).toBe('accepted');
    const changed = await t.call('/v1/events', { key: sk(), body: { events: [purchase('idem-2', 'dan', 5), purchase('idem-1', 'dan', 99)] } });
    expect(changed.status).toBe(409);
    expect(changed.headers.get('content-type')).toContain('application/problem+json');
    expect((await changed.json()).errors).toEqual([expect.objectContaining({ pointer: '/events/1/id' })]);
    // Nothing of the refused batch was stored: idem-2 is still new.
    const retry = await t.call('/v1/events', { key: sk(), body: { events: [purchase('idem-2', 'dan', 5), purchase('idem-1', 'dan', 10)] } });
    expect((await retry.json()).results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate']);
    // Property order is not content.
    const { properties } = purchase('idem-1', 'dan', 10);
    const reordered = { id: 'idem-1', type: 'purchase', customerId: 'dan', properties: { currency: properties.currency, total: 10, orderId: properties.orderId } };
    expect((await (await t.call('/v1/events', { key: sk(), body: reordered })).json()).results[0].status).toBe('duplicate');
    expect(await points('dan')).toBe(15);
  });
});

describe('bounds', () => {
  it('a purchase total beyond the documented maximum is refused, and sums stay finite', async () => {
    const huge = await t.call('/v1/events', { key: sk(), body: purchase('big-1', 'eve', 1e308) });
    expect(huge.status).toBe(400);
    expect((await huge.json()).errors).toContainEqual({ pointer: '/properties/total', detail: 'at most 1,000,000,000 (see docs/limits.md)' });
    for (const id of ['max-1', 'max-2']) await t.call('/v1/events', { key: sk(), body: purchase(id, 'eve', 1_000_000_000) });
    const customer = await (await t.call('/v1/customers/eve', { key: sk() })).json();
    expect(customer.points).toBe(2_000_000_000);
  });

  it('a currency must be an ISO 4217 code', async () => {
    const made_up = await t.call('/v1/events', { key: sk(), body: { ...purchase('cur-1', 'fay'), properties: { orderId: 'c1', total: 5, currency: 'ZZZ' } } });
    expect(made_up.status).toBe(400);
    expect((await made_up.json()).errors).toEqual([expect.objectContaining({ pointer: '/properties/currency' })]);
    const real = await t.call('/v1/events', { key: sk(), body: { ...purchase('cur-2', 'fay'), properties: { orderId: 'c2', total: 5, currency: 'CHF' } } });
    expect(real.status).toBe(200);
  });

  it('property paths naming prototype members are refused', async () => {
    const badge = await t.call('/v1/badges/proto', { method: 'PUT', key: sk(), body: { name: 'Proto', criteria: { event: 'purchase', sumOf: '__proto__', atLeast: 1 } } });
    expect(badge.status).toBe(400);
    expect((await badge.json()).errors).toEqual([expect.objectContaining({ pointer: '/criteria/sumOf' })]);
    const program = await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'purchase', points: 1, per: 'constructor' }] } });
    expect(program.status).toBe(400);
    expect((await program.json()).errors).toEqual([expect.objectContaining({ pointer: '/earn/0/per' })]);
    const where = await t.call('/v1/badges/proto', { method: 'PUT', key: sk(), body: { name: 'Proto', criteria: { event: 'purchase', count: 1, where: { prototype: 'x' } } } });
    expect(where.status).toBe(400);
  });
});

describe('value from browser events is capped', () => {
  afterEach(async () => {
    await t.call('/v1/program', { method: 'PUT', key: sk(), body: {} });
  });

  it('a program cannot award points for a browser-safe event without a cap', async () => {
    const uncapped = await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'share', points: 10 }] } });
    expect(uncapped.status).toBe(400);
    const problem = await uncapped.json();
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/earn/0/cap', detail: expect.stringContaining('publishable key') })]);
    const perUnit = await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'page_view', points: 1, per: 'seconds', cap: { perDay: 1 } }] } });
    expect(perUnit.status).toBe(400);
    expect((await perUnit.json()).errors).toEqual([expect.objectContaining({ pointer: '/earn/0/per' })]);
  });

  it('every event type a browser can cause needs a capped rule, survey_response included', async () => {
    // The four types a publishable key may send itself, and the one Kudos records for any browser that answers an NPS survey.
    for (const [i, event] of [...BROWSER_SAFE_EVENT_TYPES, 'survey_response'].entries()) {
      const uncapped = await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'purchase', points: 1, per: 'total' }, { event, points: 5 + i }] } });
      expect(uncapped.status, event).toBe(400);
      expect(uncapped.headers.get('content-type')).toContain('application/problem+json');
      expect((await uncapped.json()).errors, event).toEqual([expect.objectContaining({ pointer: '/earn/1/cap', detail: expect.stringContaining('publishable key') })]);
    }
    const capped = await t.call('/v1/program', { method: 'PUT', key: sk(), body: { earn: [{ event: 'survey_response', points: 20, cap: { perDay: 1, target: 'surveyId' } }] } });
    expect(capped.status).toBe(200);
  });

  it('NPS answers from the browser pay at most the cap, and an uncapped rule stored before the check pays nothing', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      const as = { key: s.shop.publishableKey, headers: identityHeaders(s.shop, 'ivy') };
      const answer = async (survey: string) => {
        await s.call(`/v1/surveys/${survey}`, { method: 'PUT', key: s.shop.secretKey, body: { question: { en: 'Recommend us?' }, samplePercent: 100, recontactDays: 0, recordEvent: true } });
        expect((await s.call(`/v1/surveys/${survey}/displays`, { ...as, body: { id: `display-${survey}` } })).status).toBe(200);
        expect((await s.call(`/v1/surveys/${survey}/responses`, { ...as, body: { id: `response-${survey}`, displayId: `display-${survey}`, score: 9 } })).status).toBe(201);
      };
      const balance = async () => (await (await s.call('/v1/customers/ivy', { key: s.shop.secretKey })).json()).points as number;
      await s.call('/v1/program', { method: 'PUT', key: s.shop.secretKey, body: { earn: [{ event: 'survey_response', points: 20, cap: { perDay: 2, target: 'surveyId' } }] } });
      for (const survey of ['s1', 's2', 's3', 's4']) await answer(survey);
      expect(await balance()).toBe(40);
      // A program saved before browser rules had to be capped: the rule is there, it pays nothing.
      await s.server.store.updateDocuments(s.shop.shopId, [{ collection: 'program', id: 'current' }], () => ({
        values: [{ earn: [{ event: 'survey_response', points: 20 }], pendingDays: 0, expiryDays: null, tiers: null }],
        result: undefined,
      }));
      for (const survey of ['s5', 's6']) await answer(survey);
      expect(await balance()).toBe(40);
    } finally {
      await s.dispose();
    }
  });

  it('points from browser events stop at the cap: one share per product per day', async () => {
    const put = await t.call('/v1/program', {
      method: 'PUT',
      key: sk(),
      body: { earn: [{ event: 'purchase', points: 1, per: 'total' }, { event: 'share', points: 10, cap: { perDay: 3, target: 'productId' } }] },
    });
    expect(put.status).toBe(200);
    const share = (i: number, productId?: string) => ({ id: `share-${clock.getTime()}-${i}`, type: 'share', ...(productId && { properties: { productId } }) });
    const send = (events: object[]) => t.call('/v1/events', { key: pk(), headers: identityHeaders(t.shop, 'gil'), body: { events } });
    // 100 shares of one product, in one request: 10 points.
    expect((await send(Array.from({ length: 100 }, (_, i) => share(i, 'mug')))).status).toBe(200);
    expect(await points('gil')).toBe(10);
    // Other products: up to three a day in all; shares without a product earn nothing.
    await send([share(200), share(201, 'tea'), share(202, 'pot'), share(203, 'cup')]);
    expect(await points('gil')).toBe(30);
    // The next (server) day pays again, whatever occurredAt the browser claims.
    clock = new Date(clock.getTime() + 86_400_000);
    await send([{ ...share(300, 'mug'), occurredAt: '2026-01-01T00:00:00Z' }, share(301, 'mug')]);
    expect(await points('gil')).toBe(40);
  });
});

describe('per-shop quotas for publishable-key traffic', () => {
  it('limits are readable and settable with the secret key only, within documented bounds', async () => {
    const read = await t.call('/v1/limits', { key: sk() });
    expect(await read.json()).toEqual({ browserEventsPerDay: 20_000, anonymousVisitors: 10_000, anonymousIdleDays: 30, anonymousSurveyResponsesPerIp: 10 });
    expect((await t.call('/v1/limits', { key: pk() })).status).toBe(403);
    expect((await t.call('/v1/limits', { method: 'PUT', key: pk(), body: {} })).status).toBe(403);
    const bad = await t.call('/v1/limits', { method: 'PUT', key: sk(), body: { browserEventsPerDay: 0 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ pointer: '/browserEventsPerDay' })]);
  });

  it('past its browser-event quota a shop answers 429 for itself only; no other shop and no backend write fails', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { browserEventsPerDay: 100, anonymousVisitors: 100, anonymousIdleDays: 30 } });
      const batch = (from: number, n = 100) => ({ events: Array.from({ length: n }, (_, i) => ({ id: `pv-${from + i}`, type: 'page_view' })) });
      const browser = (key: string, body: object) => s.call('/v1/events', { key, headers: anon('flooder1'), body });
      expect((await browser(s.shop.publishableKey, batch(0))).status).toBe(200);
      const over = await browser(s.shop.publishableKey, batch(100, 1));
      expect(over.status).toBe(429);
      expect(over.headers.get('content-type')).toContain('application/problem+json');
      expect(over.headers.get('retry-after')).toBeTruthy();
      expect((await over.json()).detail).toContain('100 browser events per day');
      // A replay of stored ids is still answered (it stores nothing new).
      expect((await browser(s.shop.publishableKey, batch(0, 5))).status).toBe(200);
      // The other shop's browser and backend writes, and this shop's backend, all succeed.
      expect((await browser(s.otherShop.publishableKey, batch(0))).status).toBe(200);
      expect((await s.call('/v1/events', { key: s.otherShop.secretKey, body: purchase('o-1', 'hal') })).status).toBe(200);
      expect((await s.call('/v1/events', { key: s.shop.secretKey, body: purchase('o-2', 'hal') })).status).toBe(200);
      // A day later the ids are forgotten and the quota is free again.
      clock = new Date(clock.getTime() + 86_400_000 + 3_600_000);
      expect((await browser(s.shop.publishableKey, batch(100, 1))).status).toBe(200);
      // And the server restarts on what the attack left.
      await s.stop();
      const again = await startTestServer({ dir: s.dir, now: () => clock, rateLimit: false });
      expect((await again.call('/v1/events', { key: s.shop.secretKey, body: purchase('o-3', 'hal') })).status).toBe(200);
      await again.stop();
    } finally {
      await s.dispose();
    }
  });

  it('buy-button views and clicks from the publishable key count against the same quotas: past them 429 for that shop only', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { browserEventsPerDay: 100, anonymousVisitors: 100 } });
      const mug = { name: 'Mug', price: 28, currency: 'EUR', checkoutUrl: 'https://shop.example/cart?add=mug' };
      for (const shop of [s.shop, s.otherShop]) expect((await s.call('/v1/products/mug', { method: 'PUT', key: shop.secretKey, body: mug })).status).toBe(201);
      const view = (n: number, key = s.shop.publishableKey) => s.call('/v1/products/mug/interactions', { key, headers: anon(`viewer-${n}`), body: { type: 'view' } });
      for (let n = 0; n < 100; n++) expect((await view(n)).status).toBe(204);
      const over = await view(100);
      expect(over.status).toBe(429);
      expect(over.headers.get('content-type')).toContain('application/problem+json');
      expect((await over.json()).type).toContain('quota-exceeded');
      expect(await s.server.store.getCustomer(s.shop.shopId, '~anon:viewer-100')).toBeUndefined();
      expect((await view(100, s.otherShop.publishableKey)).status).toBe(204);
      expect((await s.call('/v1/events', { key: s.shop.secretKey, body: purchase('after-views', 'hal') })).status).toBe(200);
    } finally {
      await s.dispose();
    }
  });

  it("anonymous visitors' survey records are within the visitor quota, and idle ones are deleted after the set days", async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { anonymousVisitors: 100, anonymousIdleDays: 2 } });
      const survey = { question: { en: 'Recommend us?' }, samplePercent: 100, recontactDays: 0, maxDisplays: 5 };
      for (const shop of [s.shop, s.otherShop]) await s.call('/v1/surveys/cart', { method: 'PUT', key: shop.secretKey, body: survey });
      const show = (n: number, display = 'd1', key = s.shop.publishableKey) =>
        s.call('/v1/surveys/cart/displays', { key, headers: anon(`surveyed-${n}`), body: { id: `display-${display}` } });
      for (let n = 0; n < 100; n++) expect((await show(n)).status).toBe(200);
      const full = await show(100);
      expect(full.status).toBe(429);
      expect((await full.json()).type).toContain('quota-exceeded');
      // A visitor with a record is still shown surveys; another shop is untouched.
      expect((await show(5, 'd2')).status).toBe(200);
      expect((await show(100, 'd1', s.otherShop.publishableKey)).status).toBe(200);
      const contact = (n: number) => s.server.store.getDocument(s.shop.shopId, { collection: 'survey-contacts', id: `~anon:surveyed-${n}` });
      expect(await contact(0)).toBeDefined();
      clock = new Date(clock.getTime() + 3 * 86_400_000);
      expect((await show(100)).status).toBe(200);
      expect(await contact(0)).toBeUndefined();
      expect(await contact(100)).toBeDefined();
    } finally {
      await s.dispose();
    }
  });

  /** Fills `shop`'s anonymousVisitors quota (100) but one, with page views from fresh visitors. */
  const fillVisitorsButOne = async (s: TestServer) => {
    await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { anonymousVisitors: 100 } });
    for (let n = 0; n < 99; n++) {
      expect((await s.call('/v1/events', { key: s.shop.publishableKey, headers: anon(`filler-${n}`), body: { id: `pv-${n}`, type: 'page_view' } })).status).toBe(200);
    }
  };

  it('market check-ins count against the anonymous visitors quota: past it 429 for that shop only, and nothing is stored', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      const point = { name: 'Market', from: new Date(clock.getTime() - 3_600_000).toISOString(), until: new Date(clock.getTime() + 86_400_000).toISOString() };
      const pageOf = async (shop: typeof s.shop) => {
        expect((await s.call('/v1/checkins/market', { method: 'PUT', key: shop.secretKey, body: point })).status).toBe(201);
        return new URL((await (await s.call('/v1/checkins/market/qr?format=json', { key: shop.secretKey })).json()).url).pathname;
      };
      const page = await pageOf(s.shop);
      const otherPage = await pageOf(s.otherShop);
      const checkIn = (path: string, phone: string) =>
        fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kudos_anon=${phone.padEnd(21, '0')}` }, body: '' });
      await fillVisitorsButOne(s);
      expect((await checkIn(page, 'phone-last')).status).toBe(200);
      const full = await checkIn(page, 'phone-over');
      expect(full.status).toBe(429);
      expect(full.headers.get('retry-after')).toBe('86400');
      expect(await s.server.store.getCustomer(s.shop.shopId, `~anon:${'phone-over'.padEnd(21, '0')}`)).toBeUndefined();
      expect(await s.server.store.listDocuments(s.shop.shopId, 'checkinVisits')).toHaveLength(1);
      // The phone that checked in is still answered; another shop is untouched.
      expect((await checkIn(page, 'phone-last')).status).toBe(200);
      expect((await checkIn(otherPage, 'phone-over')).status).toBe(200);
      expect((await s.call('/v1/events', { key: s.shop.secretKey, body: purchase('after-checkins', 'hal') })).status).toBe(200);
    } finally {
      await s.dispose();
    }
  });

  it('anonymous NPS answers that record survey_response count against the anonymous visitors quota: past it 429 for that shop only', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      const survey = { question: { en: 'Recommend us?' }, samplePercent: 100, recontactDays: 0, recordEvent: true };
      for (const shop of [s.shop, s.otherShop]) await s.call('/v1/surveys/nps', { method: 'PUT', key: shop.secretKey, body: survey });
      const answer = async (visitor: string, key = s.shop.publishableKey) => {
        expect((await s.call('/v1/surveys/nps/displays', { key, headers: anon(visitor), body: { id: `display-${visitor}` } })).status).toBe(200);
        return s.call('/v1/surveys/nps/responses', { key, headers: anon(visitor), body: { id: `response-${visitor}`, displayId: `display-${visitor}`, score: 10 } });
      };
      await fillVisitorsButOne(s);
      expect((await answer('answer-last')).status).toBe(201);
      const full = await answer('answer-over');
      expect(full.status).toBe(429);
      expect(full.headers.get('content-type')).toContain('application/problem+json');
      expect((await full.json()).type).toContain('quota-exceeded');
      expect(await s.server.store.getCustomer(s.shop.shopId, `~anon:${'answer-over'.padEnd(8, '0')}`)).toBeUndefined();
      const summary = await (await s.call('/v1/surveys/nps/summary', { key: s.shop.secretKey })).json();
      expect(summary.responses).toBe(1);
      expect((await answer('answer-over', s.otherShop.publishableKey)).status).toBe(201);
    } finally {
      await s.dispose();
    }
  });

  it('share-to-save groups started with the publishable key count against the browser events quota: past it 429 for that shop only', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      const campaign = { name: 'Duo', scope: { kind: 'cart' }, tiers: [{ members: 2, percentOff: 10 }], windowHours: 24, maxMembers: 10, codes: { issuer: 'kudos', prefix: 'SAVE-' } };
      for (const shop of [s.shop, s.otherShop]) expect((await s.call('/v1/campaigns/duo', { method: 'PUT', key: shop.secretKey, body: campaign })).status).toBe(201);
      const start = (owner: string, shop = s.shop) => s.call('/v1/groups', { key: shop.publishableKey, headers: identityHeaders(shop, owner), body: { campaign: 'duo' } });
      await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { browserEventsPerDay: 100 } });
      const views = Array.from({ length: 99 }, (_, n) => ({ id: `view-${n}`, type: 'page_view' }));
      expect((await s.call('/v1/events', { key: s.shop.publishableKey, headers: anon('browsing'), body: { events: views } })).status).toBe(200);
      expect((await start('gia')).status).toBe(201);
      const full = await start('hal');
      expect(full.status).toBe(429);
      expect(full.headers.get('content-type')).toContain('application/problem+json');
      expect((await full.json()).type).toContain('quota-exceeded');
      expect(await s.server.store.listDocuments(s.shop.shopId, 'shareSaveGroups')).toHaveLength(1);
      expect((await start('hal', s.otherShop)).status).toBe(201);
    } finally {
      await s.dispose();
    }
  });

  it('anonymous visitors are capped per shop, and idle ones expire after the set days', async () => {
    const s = await startTestServer({ now: () => clock, rateLimit: false });
    try {
      await s.call('/v1/limits', { method: 'PUT', key: s.shop.secretKey, body: { browserEventsPerDay: 20_000, anonymousVisitors: 100, anonymousIdleDays: 2 } });
      const visit = (n: number, key = s.shop.publishableKey) => s.call('/v1/events', { key, headers: anon(`visitor-${n}`), body: { id: `pv-${n}`, type: 'page_view' } });
      for (let n = 0; n < 100; n++) expect((await visit(n)).status).toBe(200);
      const full = await visit(100);
      expect(full.status).toBe(429);
      expect((await full.json()).detail).toContain('100 anonymous visitors');
      // A known visitor keeps being served; another shop is untouched.
      expect((await s.call('/v1/events', { key: s.shop.publishableKey, headers: anon('visitor-5'), body: { id: 'pv-again', type: 'page_view' } })).status).toBe(200);
      expect((await visit(100, s.otherShop.publishableKey)).status).toBe(200);
      expect(await s.server.store.getCustomer(s.shop.shopId, '~anon:visitor-0')).toBeDefined();
      clock = new Date(clock.getTime() + 3 * 86_400_000);
      expect((await visit(100)).status).toBe(200);
      expect(await s.server.store.getCustomer(s.shop.shopId, '~anon:visitor-0')).toBeUndefined();
    } finally {
      await s.dispose();
    }
  });
});
