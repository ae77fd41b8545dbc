// Micro-gifts over HTTP: auth matrix, a purchase's result carries the gift, the
// customer state lists it, a gift.granted webhook is queued, check-in then order,
// erase, and another shop's ids are 404.
import { openText } from '../../server/access/seal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVERIES } from '../../server/webhooks/outbox.js';
import { popupHarness, type PopupHarness } from '../helpers/popups.js';

const T0 = Date.parse('2026-03-07T09:00:00.000Z');
const DAY = 86_400_000;
const TOTE = { name: 'Free tote bag', description: 'Packed with your order', gift: { kind: 'code', prefix: 'TOTE-' }, rule: { kind: 'firstOrder' }, budget: { max: 2, period: 'week' } };

let h: PopupHarness;
afterEach(async () => h?.close());

async function problem(r: Response, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return r.json();
}

const buy = (customerId: string, orderId: string, occurredAt?: string) =>
  h.call('/v1/events', {
    key: h.shop.secretKey,
    body: { id: `purchase:${orderId}`, type: 'purchase', customerId, ...(occurredAt && { occurredAt }), properties: { orderId, total: 30, currency: 'EUR' } },
  }).then((r) => r.json() as Promise<{ results: { status: string; awards: { kind: string; id: string; code?: string; points?: number }[] }[] }>);

describe('gift rules API', () => {
  it('sk only; strict validation with pointers; another shop sees 404', async () => {
    h = await popupHarness(T0);
    const sk = h.shop.secretKey;
    expect((await fetch(`${h.url}/v1/gifts/tote`)).status).toBe(401);
    await problem(await h.call('/v1/gifts/tote', { method: 'PUT', body: TOTE }), 403);
    await problem(await h.call('/v1/gifts'), 403);
    const bad = await problem(await h.call('/v1/gifts/tote', { method: 'PUT', key: sk, body: { ...TOTE, rule: { kind: 'nthOrder', n: 1 }, budget: { max: 0, period: 'year' } } }), 400);
    expect(bad.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/budget/max', '/budget/period', '/rule/n']);
    const created = await h.call('/v1/gifts/tote', { method: 'PUT', key: sk, body: TOTE });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'tote', active: true, usage: { granted: 0, remaining: 2 } });
    expect((await h.call('/v1/gifts/tote', { method: 'PUT', key: sk, body: TOTE })).status).toBe(200);
    await problem(await h.call('/v1/gifts/tote', { key: h.other.secretKey }), 404);
    expect((await (await h.call('/v1/gifts', { key: h.other.secretKey })).json()).data).toEqual([]);
  });
});

describe('granting', () => {
  it('a gift is told once as gift.granted (not award.created), and the tier its purchase reached carries the purchase id', async () => {
    h = await popupHarness(T0);
    const sk = h.shop.secretKey;
    await h.call('/v1/gifts/tote', { method: 'PUT', key: sk, body: TOTE });
    const program = { earn: [{ event: 'purchase', points: 1, per: 'total' }], tiers: { basis: 'spend', windowDays: 365, levels: [{ name: 'Regular', min: 20 }] } };
    expect((await h.call('/v1/program', { method: 'PUT', key: sk, body: program })).status).toBeLessThan(300);
    const events = ['award.created', 'gift.granted', 'tier.changed'];
    expect((await h.call('/v1/webhooks/all', { method: 'PUT', key: sk, body: { url: 'https://hooks.example/kudos', events } })).status).toBe(201);

    const first = await buy('c_ana', 'o-1');
    expect(first.results[0]!.awards.some((a) => a.kind === 'gift')).toBe(true);
    const deliveries = await h.store.listDocuments<{ type: string; body: string }>(h.shop.id, DELIVERIES);
    const told = deliveries.map((d) => ({ type: d.type, data: JSON.parse(openText(d.body)).data }));
    expect(told.filter((d) => d.type === 'gift.granted')).toHaveLength(1);
    expect(told.filter((d) => d.type === 'award.created' && d.data.award.kind === 'gift')).toEqual([]);
    expect(told.filter((d) => d.type === 'tier.changed').map((d) => d.data)).toEqual([
      { customerId: 'c_ana', eventId: 'purchase:o-1', from: null, to: 'Regular' },
    ]);
  });


  it('a first order carries the gift in its result, the customer state lists it, a webhook is queued; the budget caps it', async () => {
    h = await popupHarness(T0);
    const sk = h.shop.secretKey;
    await h.call('/v1/gifts/tote', { method: 'PUT', key: sk, body: TOTE });
    expect((await h.call('/v1/webhooks/packing', { method: 'PUT', key: sk, body: { url: 'https://hooks.example/kudos', events: ['gift.granted'] } })).status).toBe(201);

    const first = await buy('c_ana', 'o-1');
    const gift = first.results[0]!.awards.find((a) => a.kind === 'gift');
    expect(gift).toMatchObject({ kind: 'gift', id: 'tote', name: 'Free tote bag', icon: '🎁', code: expect.stringMatching(/^TOTE-[2-9A-Z]{10}$/) });
    expect((await buy('c_ana', 'o-2')).results[0]!.awards.filter((a) => a.kind === 'gift')).toEqual([]);
    // Replayed: duplicate, no second gift.
    expect((await buy('c_ana', 'o-1')).results[0]!.status).toBe('duplicate');

    const state = await (await h.call('/v1/customers/c_ana', { as: 'c_ana' })).json();
    expect(state.gifts).toEqual([{ id: 'tote', name: 'Free tote bag', description: 'Packed with your order', kind: 'code', code: gift!.code, orderId: 'o-1', grantedAt: new Date(T0).toISOString() }]);
    // Another customer cannot read it with the publishable key.
    await problem(await h.call('/v1/customers/c_ana', { as: 'c_bob' }), 403);

    const deliveries = await h.store.listDocuments<{ type: string; body: string }>(h.shop.id, DELIVERIES);
    const hook = deliveries.filter((d) => d.type === 'gift.granted');
    expect(hook).toHaveLength(1);
    expect(JSON.parse(openText(hook[0]!.body)).data).toMatchObject({ customerId: 'c_ana', giftId: 'tote', orderId: 'o-1', code: gift!.code });

    // Budget 2 per week: the second new customer gets one, the third not; next week again.
    expect((await buy('c_bob', 'o-3')).results[0]!.awards.some((a) => a.kind === 'gift')).toBe(true);
    expect((await buy('c_cat', 'o-4')).results[0]!.awards.some((a) => a.kind === 'gift')).toBe(false);
    h.clock.t += 7 * DAY;
    expect((await buy('c_dan', 'o-5')).results[0]!.awards.some((a) => a.kind === 'gift')).toBe(true);
    expect(await (await h.call('/v1/gifts/tote', { key: sk })).json()).toMatchObject({ usage: { granted: 1, remaining: 1 } });

    // Export, then erase: the customer's gifts are in one and go with the other.
    const exported = await (await h.call('/v1/customers/c_ana/export', { key: sk })).json();
    expect(exported.features.gifts).toEqual([expect.objectContaining({ giftId: 'tote', orderId: 'o-1', code: gift!.code })]);
    expect((await h.call('/v1/customers/c_ana', { method: 'DELETE', key: sk })).status).toBeLessThan(300);
    expect((await (await h.call('/v1/customers/c_ana', { key: sk })).json()).gifts).toEqual([]);
  });

  it('market check-in, then an online order within 7 days: bonus points; not after 7 days, not without a check-in', async () => {
    h = await popupHarness(T0, { perIp: { limit: 100, windowMs: 60_000 } });
    const sk = h.shop.secretKey;
    await h.call('/v1/checkins/saturday', {
      method: 'PUT',
      key: sk,
      body: { name: 'Saturday market', from: '2026-03-07T08:00:00Z', until: '2026-03-07T18:00:00Z', consentText: 'news about our markets' },
    });
    await h.call('/v1/gifts/welcome-back', { method: 'PUT', key: sk, body: { name: '100 bonus points', gift: { kind: 'points', points: 100 }, rule: { kind: 'afterCheckin', withinDays: 7, checkinId: 'saturday' } } });
    const { url } = await (await h.call('/v1/checkins/saturday/qr?format=json', { key: sk })).json();
    for (const email of ['ana@example.com', 'bob@example.com']) {
      const jar = new Map<string, string>();
      await h.page(url, { jar });
      expect((await h.page(url, { jar, form: { email, consent: 'yes' } })).status).toBe(200);
    }
    await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_ana', email: 'ana@example.com' } });
    await h.call('/v1/checkins/links', { key: sk, body: { customerId: 'c_bob', email: 'bob@example.com' } });

    h.clock.t += 6 * DAY;
    const ana = await buy('c_ana', 'o-ana', new Date(h.clock.t).toISOString());
    expect(ana.results[0]!.awards.find((a) => a.kind === 'gift')).toMatchObject({ id: 'welcome-back', points: 100 });
    expect((await (await h.call('/v1/customers/c_ana', { key: sk })).json()).points).toBe(130);
    h.clock.t += 2 * DAY;
    const bob = await buy('c_bob', 'o-bob', new Date(h.clock.t).toISOString());
    expect(bob.results[0]!.awards.filter((a) => a.kind === 'gift')).toEqual([]);
    const cat = await buy('c_cat', 'o-cat', new Date(h.clock.t - 3 * DAY).toISOString());
    expect(cat.results[0]!.awards.filter((a) => a.kind === 'gift')).toEqual([]);
  });
});
