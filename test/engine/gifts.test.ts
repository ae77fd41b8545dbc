// Micro-gift rules with an injected clock: first / Nth order, check-in then order
// within N days, the sticky random share, and the budget cap under concurrency
// (the last one on a real lowdb store: the cap is the store's atomic update).
import { derivationSecretOf } from '../../server/access/secrets.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drawFor, eligible, giftCode, grant, BudgetSpent, orderPosition, periodKey, type OrderFacts } from '../../server/gifts/engine.js';
import { GiftInput, type Gift } from '../../server/gifts/schemas.js';
import { customerGifts, putGift } from '../../server/gifts/service.js';
import '../../server/features.js';
import { recordEvents } from '../../server/events/record-events.js';
import { newShop } from '../../server/shops.js';
import { LowdbStore } from '../../server/store/lowdb-store.js';
import type { CustomerRecord } from '../../server/loyalty/engine/customer.js';
import { tempDir } from '../helpers/server.js';
import { featureDocuments } from '../../server/features.js';

const NOW = '2026-03-14T10:00:00.000Z';
const DAY = 86_400_000;
const gift = (over: Partial<GiftInput> & Pick<GiftInput, 'rule'>): Gift => ({
  id: 'tote',
  ...GiftInput.parse({ name: 'Free tote bag', gift: { kind: 'code' }, ...over }),
  createdAt: NOW,
  updatedAt: NOW,
});
const facts = (over: Partial<OrderFacts> = {}): OrderFacts => ({ orderId: 'o1', occurredAt: NOW, position: 0, visits: [], draw: 0.5, ...over });
const customer = (orders: Record<string, string>): CustomerRecord => ({
  customerId: 'c',
  createdAt: NOW,
  updatedAt: NOW,
  stats: {},
  badges: {},
  orders: Object.fromEntries(Object.entries(orders).map(([id, at]) => [id, { total: 10, at, points: 10, refunded: 0, clawedBack: 0 }])),
});

describe('gift rules', () => {
  it('first order and Nth order go by the order position, oldest first', () => {
    const c = customer({ b: '2026-03-02T00:00:00Z', a: '2026-03-01T00:00:00Z', c: '2026-03-03T00:00:00Z' });
    expect([orderPosition(c, 'a'), orderPosition(c, 'b'), orderPosition(c, 'c'), orderPosition(c, 'z')]).toEqual([0, 1, 2, undefined]);
    expect(eligible(gift({ rule: { kind: 'firstOrder' } }), facts({ position: 0 }), NOW)).toBe(true);
    expect(eligible(gift({ rule: { kind: 'firstOrder' } }), facts({ position: 1 }), NOW)).toBe(false);
    expect(eligible(gift({ rule: { kind: 'nthOrder', n: 3 } }), facts({ position: 2 }), NOW)).toBe(true);
    expect(eligible(gift({ rule: { kind: 'nthOrder', n: 3 } }), facts({ position: 3 }), NOW)).toBe(false);
    expect(eligible(gift({ rule: { kind: 'firstOrder' }, active: false }), facts({ position: 0 }), NOW)).toBe(false);
  });

  it('check-in then an order within N days: the edge day counts, one more millisecond does not', () => {
    const rule = gift({ rule: { kind: 'afterCheckin', withinDays: 7, checkinId: 'saturday' } });
    const visit = { checkinId: 'saturday', at: '2026-03-07T10:00:00.000Z' };
    const order = (ms: number) => facts({ occurredAt: new Date(Date.parse(visit.at) + ms).toISOString(), visits: [visit] });
    expect(eligible(rule, order(7 * DAY), NOW)).toBe(true);
    expect(eligible(rule, order(7 * DAY + 1), NOW)).toBe(false);
    expect(eligible(rule, order(-1), NOW)).toBe(false);
    expect(eligible(rule, facts({ visits: [{ ...visit, checkinId: 'sunday' }], occurredAt: '2026-03-08T10:00:00.000Z' }), NOW)).toBe(false);
  });

  it('random share: the draw is sticky per order, keyed, and near the share over many orders', () => {
    const a = drawFor('sk_1', 'shop', 'tote', 'order-1');
    expect(drawFor('sk_1', 'shop', 'tote', 'order-1')).toBe(a);
    expect(drawFor('sk_2', 'shop', 'tote', 'order-1')).not.toBe(a);
    const share = gift({ rule: { kind: 'randomShare', percent: 10 } });
    let won = 0;
    for (let i = 0; i < 5000; i++) if (eligible(share, facts({ draw: drawFor('sk_1', 'shop', 'tote', `o-${i}`) }), NOW)) won++;
    expect(won).toBeGreaterThan(400);
    expect(won).toBeLessThan(600);
  });

  it('codes are derived (a retry gets the same one) and unguessable without the secret', () => {
    const code = giftCode('sk_1', 'tote', 'k1', 'GIFT-');
    expect(code).toMatch(/^GIFT-[2-9A-HJ-NP-Z]{10}$/);
    expect(giftCode('sk_1', 'tote', 'k1', 'GIFT-')).toBe(code);
    expect(giftCode('sk_2', 'tote', 'k1', 'GIFT-')).not.toBe(code);
  });

  it('budget periods are UTC calendar periods; a full budget grants nothing; a grant is never repeated', () => {
    expect(periodKey('day', NOW)).toBe('2026-03-14');
    expect(periodKey('month', NOW)).toBe('2026-03');
    expect(periodKey('week', '2026-03-15T23:59:59Z')).toBe(periodKey('week', '2026-03-09T00:00:00Z'));
    expect(periodKey('week', '2026-03-16T00:00:00Z')).not.toBe(periodKey('week', '2026-03-15T23:59:59Z'));
    const capped = gift({ rule: { kind: 'firstOrder' }, budget: { max: 1, period: 'day' } });
    const input = { customerId: 'c', orderId: 'o', period: '2026-03-14', code: 'GIFT-X', at: NOW };
    const first = grant(undefined, undefined, capped, input);
    expect(first).toMatchObject({ fresh: true, budget: { count: 1 }, grant: { code: 'GIFT-X', kind: 'code' } });
    expect(() => grant(undefined, first.budget, capped, input)).toThrow(BudgetSpent);
    expect(grant(first.grant, first.budget, capped, input)).toMatchObject({ fresh: false, budget: { count: 1 } });
  });
});

describe('on a real store', () => {
  let store: LowdbStore | undefined;
  afterEach(async () => store?.close());

  it('a budget of 7 per day gives exactly 7 gifts to 50 concurrent first orders, and none twice on replay', async () => {
    let t = Date.parse(NOW);
    const now = () => new Date(t);
    store = await LowdbStore.open(join(tempDir(), 'kudos.json'), { ...featureDocuments(), now: () => t });
    const { shop } = newShop({ name: 'Tote shop', origins: [] }, now());
    await store.createShop(shop);
    await putGift(store, now, shop.id, 'tote', GiftInput.parse({ name: 'Free tote', gift: { kind: 'code' }, rule: { kind: 'firstOrder' }, budget: { max: 7, period: 'day' } }));
    const purchase = (i: number) => ({
      id: `p-${i}`,
      type: 'purchase',
      customerId: `c_${i}`,
      occurredAt: NOW,
      properties: { orderId: `o-${i}`, total: 20, currency: 'EUR' },
    });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => recordEvents(store!, now, shop.id, [purchase(i)])));
    const gifted = results.flat().filter((o) => o.awards.some((a) => a.kind === 'gift'));
    expect(gifted).toHaveLength(7);
    const codes = new Set(gifted.map((o) => o.awards.find((a) => a.kind === 'gift')!.code));
    expect(codes.size).toBe(7);
    // The same orders again: duplicates, nothing more granted.
    const replay = await Promise.all(Array.from({ length: 50 }, (_, i) => recordEvents(store!, now, shop.id, [purchase(i)])));
    expect(replay.flat().filter((o) => o.awards.some((a) => a.kind === 'gift'))).toHaveLength(0);
    // The next day the budget is fresh, but a customer's second order is no first order.
    t += DAY;
    const next = await recordEvents(store, now, shop.id, [{ ...purchase(0), id: 'p-0-again', properties: { orderId: 'o-0-b', total: 5, currency: 'EUR' } }, purchase(99)]);
    expect(next.map((o) => o.awards.filter((a) => a.kind === 'gift').length)).toEqual([0, 1]);
    const listed = await Promise.all(Array.from({ length: 50 }, (_, i) => customerGifts(store!, shop.id, `c_${i}`)));
    expect(listed.filter((l) => l.gifts.length === 1)).toHaveLength(7);
  });

  it('random share: a replayed or re-sent order is never re-rolled into a second gift', async () => {
    const t = Date.parse(NOW);
    const now = () => new Date(t);
    store = await LowdbStore.open(join(tempDir(), 'kudos.json'), { ...featureDocuments(), now: () => t });
    const { shop } = newShop({ name: 'Lucky shop', origins: [] }, now());
    await store.createShop(shop);
    await putGift(store, now, shop.id, 'lucky', GiftInput.parse({ name: 'Bonus', gift: { kind: 'points', points: 50 }, rule: { kind: 'randomShare', percent: 30 } }));
    const orders = Array.from({ length: 40 }, (_, i) => `o-${i}`);
    const winners = orders.filter((o) => drawFor(derivationSecretOf(shop), shop.id, 'lucky', o) < 0.3);
    const first = await recordEvents(store, now, shop.id, orders.map((o, i) => ({ id: `e-${i}`, type: 'purchase', customerId: 'c_1', properties: { orderId: o, total: 1, currency: 'EUR' }, occurredAt: NOW })));
    const won = first.map((r, i) => (r.awards.some((a) => a.kind === 'gift') ? orders[i] : undefined)).filter(Boolean);
    expect(won).toEqual(winners);
    expect(winners.length).toBeGreaterThan(0);
    // The same orders under new event ids (a backend resending): no second draw, no second gift.
    const again = await recordEvents(store, now, shop.id, orders.map((o, i) => ({ id: `e2-${i}`, type: 'purchase', customerId: 'c_1', properties: { orderId: o, total: 1, currency: 'EUR' }, occurredAt: NOW })));
    expect(again.flatMap((r) => r.awards).filter((a) => a.kind === 'gift')).toEqual([]);
    // Bonus points landed once per winning order, on top of 1 point per order total.
    const record = await store.getCustomer(shop.id, 'c_1');
    const bonus = (record?.ledger ?? []).filter((e) => e.eventId.startsWith('gift:')).reduce((s, e) => s + e.points, 0);
    expect(bonus).toBe(50 * winners.length);
  });
});
