// The shop's KPIs exactly as defined, on a dated fixture computed by hand: a refunded
// first order, a partial refund, orders and survey answers on the edges of the period,
// loyalty/recognition sources beside group/directory/market ones.
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, type AppHarness } from '../helpers/app-harness.js';

const NOW = Date.parse('2026-04-20T12:00:00.000Z');
const PERIOD = 'from=2026-03-01&to=2026-04-01';

const open: AppHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const order = (orderId: string, customerId: string, total: number, occurredAt: string, extra: Record<string, string> = {}) => ({
  type: 'order.created',
  orderId,
  customerId,
  total,
  currency: 'EUR',
  occurredAt,
  ...extra,
});
const refund = (orderId: string, customerId: string, amount: number, occurredAt: string) => ({ type: 'order.refunded', orderId, customerId, amount, occurredAt });

const ORDERS = [
  // A: first order refunded in full, then one more: one kept order, not retained.
  order('a1', 'A', 50, '2026-03-02T10:00:00Z'),
  refund('a1', 'A', 50, '2026-03-03T10:00:00Z'),
  order('a2', 'A', 30, '2026-03-10T10:00:00Z'),
  // B: two orders, the second refunded in part: retained. b1 came from a badge link.
  order('b1', 'B', 40, '2026-03-05T10:00:00Z', { kudos_src: 'badge' }),
  order('b2', 'B', 60, '2026-03-20T10:00:00Z'),
  refund('b2', 'B', 20, '2026-03-22T10:00:00Z'),
  // C: one order before the period, one in it: one order in the period, not retained.
  order('c1', 'C', 30, '2026-02-20T10:00:00Z'),
  order('c2', 'C', 25, '2026-03-15T10:00:00Z', { kudos_src: 'market' }),
  // D: the period's last minute counts, the next month's first instant does not: retained.
  order('d1', 'D', 10, '2026-03-03T10:00:00Z'),
  order('d2', 'D', 10, '2026-03-31T23:59:00Z'),
  order('d3', 'D', 10, '2026-04-01T00:00:00Z'),
  // E: a trophy link, then a directory click: retained.
  order('e1', 'E', 100, '2026-03-08T10:00:00Z', { kudos_src: 'trophy' }),
  order('e2', 'E', 20, '2026-03-09T10:00:00Z', { kudos_src: 'directory' }),
];

// Survey answers with their own times; the period is [Mar 1, Apr 1). Mar 1 2026 is a Sunday, so
// the weeks around both edges reach outside the period.
const ANSWERS: [string, number][] = [
  ['2026-02-28T23:59:00Z', 0], // outside
  ['2026-03-01T00:00:00Z', 10],
  ['2026-03-15T12:00:00Z', 9],
  ['2026-03-20T12:00:00Z', 3],
  ['2026-03-31T23:59:00Z', 7],
  ['2026-04-01T00:00:00Z', 0], // outside
];

describe('KPIs on a dated fixture', () => {
  it('match the hand-computed figures and carry their definitions', async () => {
    const h = await appHarness({ t0: Date.parse('2026-02-27T00:00:00Z'), app: { rateLimit: false } });
    open.push(h);
    const sk = h.shop.secretKey;
    const survey = await h.call('/v1/surveys/checkout', { method: 'PUT', key: sk, body: { question: { en: 'How likely…?' }, recontactDays: 0, maxDisplays: 100 } });
    expect(survey.status).toBe(201);
    for (const [i, [at, score]] of ANSWERS.entries()) {
      h.clock.t = Date.parse(at);
      const as = `shopper-${i}`;
      expect((await h.call('/v1/surveys/checkout/displays', { as, body: { id: `display-${i}` } })).ok).toBe(true);
      expect((await h.call('/v1/surveys/checkout/responses', { as, body: { id: `response-${i}`, displayId: `display-${i}`, score } })).ok).toBe(true);
    }
    h.clock.t = NOW;
    const imported = await h.call('/v1/history/orders', { key: sk, body: { orders: ORDERS } });
    expect(imported.status).toBe(200);

    const m = await (await h.call(`/v1/metrics?${PERIOD}`, { key: sk })).json();
    // Buyers in March: A B C D E. Two or more orders in March not refunded in full: B (b1, b2 in part), D (d1, d2), E.
    expect(m.returnCorrectedRetention).toMatchObject({ buyers: 5, retained: 3, rate: 0.6 });
    // Answers in March: 10, 9 (promoters), 7 (passive), 3 (detractor): (2 − 1) / 4 = +25.
    expect(m.nps).toMatchObject({ responses: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 });
    // March orders: a1 a2 b1 b2 c2 d1 d2 e1 e2 = 9. Loyalty and recognition: b1 (badge), e1 (trophy).
    expect(m.communityConversion.purchases).toBe(9);
    expect(m.communityConversion.recognition).toEqual({ purchases: 2, rate: 0.2222 });
    expect(m.communityConversion.sources).toMatchObject({
      badge: { purchases: 1 },
      trophy: { purchases: 1 },
      directory: { purchases: 1 },
      market: { purchases: 1 },
      group: { purchases: 0 },
    });
    expect(m.definitions.returnCorrectedRetention).toMatch(/at least two orders/);
    expect(m.definitions.communityConversion).toMatch(/never added/);

    // One week, Mon Mar 30 – Sun Apr 5, asked as Mar 30 – Apr 1: only the answer of Mar 31 and the orders d2.
    const edge = await (await h.call('/v1/metrics?from=2026-03-30&to=2026-04-01', { key: sk })).json();
    expect(edge.nps).toMatchObject({ responses: 1, passives: 1, nps: 0 });
    expect(edge.returnCorrectedRetention).toMatchObject({ buyers: 1, retained: 0 });
  });
});
