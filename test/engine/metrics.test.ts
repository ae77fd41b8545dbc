// The KPIs on a hand-computed fixture: seven customers over a two-week period
// (Mon 2026-10-05 to Mon 2026-10-19, end excluded). Every expected figure below
// is counted by hand from the fixture, as the comments show.
import { describe, expect, it } from 'vitest';
import { applyEventToRecord as applyEvent } from '../../server/loyalty/engine/apply.js';
import type { CustomerRecord, LedgerEntry, OrderRecord } from '../../server/loyalty/engine/customer.js';
import { computeMetrics, weeksOf, type MetricsInput } from '../../server/metrics/engine.js';
import type { Group } from '../../server/share-save/engine.js';
import type { AwardDocument } from '../../server/trophies/schemas.js';
import { DEFAULT_PROGRAM } from '../../server/loyalty/schemas.js';

const FROM = new Date('2026-10-05T00:00:00Z');
const TO = new Date('2026-10-19T00:00:00Z');
const LATER = new Date('2026-11-30T00:00:00Z');

const order = (at: string, total: number, extra: Partial<OrderRecord> = {}): OrderRecord => ({
  total,
  currency: 'EUR',
  at,
  points: total,
  refunded: 0,
  clawedBack: 0,
  ...extra,
});
const earn = (at: string, points: number): LedgerEntry => ({ kind: 'earn', points, at, eventId: `e-${at}` });

function customer(id: string, orders: Record<string, OrderRecord>, extra: Partial<CustomerRecord> = {}): CustomerRecord {
  return { customerId: id, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', stats: {}, badges: {}, orders, ...extra };
}
const badge = (awardedAt: string) => ({ name: 'B', awardedAt, eventId: 'x' });
const counts = (byScore: Record<number, number>) => Array.from({ length: 11 }, (_, s) => byScore[s] ?? 0);

const customers: CustomerRecord[] = [
  // A: first order in week 1; the second (week 1) was refunded in full.
  customer(
    'A',
    { a1: order('2026-10-05T10:00:00Z', 20), a2: order('2026-10-08T10:00:00Z', 30, { refunded: 30 }) },
    {
      badges: { first: badge('2026-10-05T10:00:00Z') },
      ledger: [earn('2026-10-05T10:00:00Z', 20), earn('2026-10-08T10:00:00Z', 30), { kind: 'clawback', points: -30, at: '2026-10-09T10:00:00Z', eventId: 'r' }],
    },
  ),
  // B: first order in week 1, second in week 2 partly refunded, from a directory.
  customer(
    'B',
    { b1: order('2026-10-06T10:00:00Z', 10), b2: order('2026-10-13T10:00:00Z', 15, { refunded: 5, src: 'directory', ref: 'https://dir.example' }) },
    { badges: { first: badge('2026-10-01T10:00:00Z') } },
  ),
  // C: first order before the period; c2 spent a share-to-save code (recorded by the group, no kudos_src).
  customer('C', { c1: order('2026-09-20T10:00:00Z', 10), c2: order('2026-10-14T10:00:00Z', 10, { code: 'GRP-1' }) }),
  // D: d1 on the last instant of the period spends a reward code D redeemed; d2 exactly at `to` (outside).
  customer(
    'D',
    { d1: order('2026-10-18T23:59:59.999Z', 25, { code: 'RWD1' }), d2: order('2026-10-19T00:00:00Z', 25) },
    {
      badges: { big: badge('2026-10-18T23:00:00Z') },
      ledger: [
        earn('2026-09-01T00:00:00Z', 50),
        { kind: 'redeem', points: -40, at: '2026-10-10T00:00:00Z', eventId: 'rd', rewardId: 'r', code: 'RWD1' },
        earn('2026-10-18T00:00:00Z', 10),
      ],
    },
  ),
  // E: first order after the period: counts nowhere.
  customer('E', { e1: order('2026-11-20T10:00:00Z', 10) }),
  // F: one order on the first instant of week 2, at a market stall; some points expired.
  customer('F', { f1: order('2026-10-12T00:00:00Z', 8, { src: 'market' }) }, { ledger: [{ kind: 'expire', points: -5, at: '2026-10-12T00:00:00Z', eventId: 'x' }] }),
  // G: one order spending D's reward code: not G's, so not loyalty.
  customer('G', { g1: order('2026-10-16T10:00:00Z', 12, { code: 'RWD1' }) }),
];

const group = (code: string, createdAt: string, unlockedAt?: string, members: Group['members'] = []): Group => ({
  code,
  campaignId: 'duo',
  productId: null,
  shareUrl: null,
  ownerId: 'X',
  createdAt,
  expiresAt: '2026-12-01T00:00:00Z',
  tiers: [{ members: 2, percentOff: 10 }] as Group['tiers'],
  maxMembers: 5,
  members,
  tierIndex: unlockedAt ? 0 : -1,
  ...(unlockedAt && { unlockedAt }),
});

const award = (id: string, awardedAt: string, revokedAt?: string) =>
  ({ id, trophyId: 't', level: 'bronze', customerId: 'A', reason: 'r', awardedAt, identityHash: '', salt: '', trophy: {}, ...(revokedAt && { revokedAt }) }) as AwardDocument;

const input: MetricsInput = {
  customers,
  npsWeeks: [
    { '2026-09-28': counts({ 0: 5 }), '2026-10-05': counts({ 10: 3, 3: 1 }), '2026-10-12': counts({ 8: 1, 9: 1 }) },
    { '2026-10-12': counts({ 2: 1 }) },
  ],
  groups: [
    group('G1', '2026-10-06T00:00:00Z', '2026-10-06T05:00:00Z'),
    group('G2', '2026-10-13T00:00:00Z'),
    // Unlocked after the period: still an unlocked group of the period.
    group('G3', '2026-10-14T00:00:00Z', '2026-10-25T00:00:00Z', [{ customerId: 'C', joinedAt: '2026-10-14T00:00:00Z', discountCode: 'GRP-1', usedOrderId: 'c2' }]),
    group('G4', '2026-09-30T00:00:00Z', '2026-09-30T01:00:00Z'),
  ],
  trophyAwards: [award('t1', '2026-10-07T00:00:00Z'), award('t2', '2026-10-13T00:00:00Z', '2026-10-14T00:00:00Z'), award('t3', '2026-10-25T00:00:00Z')],
};

const metrics = (now = LATER, from = FROM, to = TO, data = input) => computeMetrics(data, { from, to, now });

describe('KPIs on a hand-computed fixture', () => {
  it('has one weekly point per week the period touches, Mondays in UTC', () => {
    expect(metrics().weeks).toEqual(['2026-10-05', '2026-10-12']);
    expect(weeksOf(new Date('2026-10-07T12:00:00Z'), new Date('2026-10-12T00:00:01Z'))).toEqual(['2026-10-05', '2026-10-12']);
    expect(weeksOf(new Date('2026-10-07T12:00:00Z'), new Date('2026-10-12T00:00:00Z'))).toEqual(['2026-10-05']);
  });

  it('return-corrected retention: a fully refunded second order, or one at `to`, does not retain', () => {
    const { retention } = metrics();
    // Cohort A, B, D, F, G (C started before, E after). Retained: B only (A's a2 refunded in full, D's d2 at `to`).
    expect(retention).toMatchObject({ cohort: 5, retained: 1, rate: 0.2 });
    expect(retention.series).toEqual([
      { weekStart: '2026-10-05', cohort: 2, retained: 1, rate: 0.5 },
      { weekStart: '2026-10-12', cohort: 3, retained: 0, rate: 0 },
    ]);
  });

  it('repeat purchase rate counts customers with two or more orders inside the window', () => {
    const { repeatPurchase } = metrics();
    // A (a1, a2), B (b1, b2), C (c2), D (d1), F, G: 6 buyers, 2 repeaters.
    expect(repeatPurchase).toMatchObject({ customers: 6, repeaters: 2, rate: 0.3333 });
    // Week 1: A twice, B once. Week 2: B, C, D, F, G once each.
    expect(repeatPurchase.series.map(({ customers, repeaters }) => [customers, repeaters])).toEqual([
      [2, 1],
      [5, 0],
    ]);
  });

  it('30-day repeat rate leaves out customers whose 30 days are still running', () => {
    // Cohort A, B, D, F, G; A, B and D came back within 30 days (refunds do not matter here).
    expect(metrics().repeat30).toMatchObject({ cohort: 5, repeated: 3, pending: 0, rate: 0.6 });
    // On Oct 20, F's and G's 30 days are not over: 3 of 3 counted.
    expect(metrics(new Date('2026-10-20T00:00:00Z')).repeat30).toMatchObject({ cohort: 5, repeated: 3, pending: 2, rate: 1 });
  });

  it('experience NPS over every survey, whole weeks, with the response count', () => {
    const { nps } = metrics();
    // 7 responses: promoters 10,10,10,9 = 4; passive 8; detractors 3, 2. (4 − 2) / 7 = 28.6 → 29.
    expect(nps).toMatchObject({ responses: 7, promoters: 4, passives: 1, detractors: 2, nps: 29 });
    expect(nps.series.map((p) => [p.responses, p.nps])).toEqual([
      [4, 50],
      [3, 0],
    ]);
  });

  it('community conversion per source, over all purchases of the window', () => {
    const { communityConversion: c } = metrics();
    // 8 purchases: a1 a2 b1 b2 c2 d1 f1 g1. directory b2, group c2, loyalty d1, market f1.
    expect(c.purchases).toBe(8);
    expect(c.sources).toEqual({
      directory: { purchases: 1, rate: 0.125 },
      group: { purchases: 1, rate: 0.125 },
      loyalty: { purchases: 1, rate: 0.125 },
      market: { purchases: 1, rate: 0.125 },
      trophy: { purchases: 0, rate: 0 },
      badge: { purchases: 0, rate: 0 },
    });
    expect(c.any).toEqual({ purchases: 4, rate: 0.5 });
    // The headline counts loyalty and recognition only: d1, not the directory, group or market orders.
    expect(c.recognition).toEqual({ purchases: 1, rate: 0.125 });
    expect(c.series[0]).toMatchObject({ purchases: 3, any: { purchases: 0, rate: 0 } });
    expect(c.series[1]).toMatchObject({ purchases: 5, any: { purchases: 4, rate: 0.8 }, sources: { loyalty: { purchases: 1, rate: 0.2 } } });
  });

  it('counts an order within 30 days after the customer checked in at a stall for the market, link or no link', () => {
    const day = 86_400_000;
    const visit = Date.parse('2026-10-01T09:00:00Z');
    const data = {
      ...input,
      customers: [
        customer('M', { m1: order('2026-10-06T10:00:00Z', 9), m2: order(new Date(visit + 31 * day).toISOString(), 9) }),
        customer('N', { n1: order('2026-10-06T10:00:00Z', 9) }),
      ],
      // M checked in on Oct 1; N checked in only after ordering.
      marketVisits: new Map([
        ['M', [visit]],
        ['N', [Date.parse('2026-10-07T00:00:00Z')]],
      ]),
    };
    const c = metrics(LATER, FROM, new Date('2026-11-30T00:00:00Z'), data).communityConversion;
    expect(c.purchases).toBe(3);
    expect(c.sources.market).toEqual({ purchases: 1, rate: 0.3333 });
  });

  it('counts kudos_src=loyalty as loyalty too', () => {
    const data = { ...input, customers: [customer('L', { l1: order('2026-10-07T00:00:00Z', 5, { src: 'loyalty' }) })] };
    expect(metrics(LATER, FROM, TO, data).communityConversion.sources.loyalty).toEqual({ purchases: 1, rate: 1 });
  });

  it('awards over time: badges and trophies, revoked trophies left out', () => {
    const { awards } = metrics();
    expect(awards).toMatchObject({ badges: 2, trophies: 1, total: 3 });
    expect(awards.series.map((p) => [p.badges, p.trophies])).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('points issued vs redeemed, with clawbacks and expiry apart', () => {
    const { points } = metrics();
    expect(points).toMatchObject({ issued: 60, redeemed: 40, clawedBack: 30, expired: 5 });
    expect(points.series.map(({ issued, redeemed, clawedBack, expired }) => [issued, redeemed, clawedBack, expired])).toEqual([
      [50, 40, 30, 0],
      [10, 0, 0, 5],
    ]);
  });

  it('group unlock rate: groups started in the window that reached a tier', () => {
    const { groupUnlock } = metrics();
    expect(groupUnlock).toMatchObject({ created: 3, unlocked: 2, rate: 0.6667 });
    expect(groupUnlock.series.map((p) => p.rate)).toEqual([1, 0.5]);
  });

  it('clips the first and last weeks to a period that starts and ends mid-week', () => {
    const m = metrics(LATER, new Date('2026-10-07T00:00:00Z'), new Date('2026-10-13T00:00:00Z'));
    // Orders in [Oct 7, Oct 13): a2 (Oct 8) and f1 (Oct 12 00:00).
    expect(m.repeatPurchase).toMatchObject({ customers: 2, repeaters: 0 });
    expect(m.repeatPurchase.series.map((p) => p.customers)).toEqual([1, 1]);
    expect(m.communityConversion.purchases).toBe(2);
  });

  it('says null, not 0 %, when there is nothing to divide by', () => {
    const m = metrics(LATER, FROM, TO, { customers: [], npsWeeks: [], groups: [], trophyAwards: [] });
    expect(m.retention.rate).toBeNull();
    expect(m.repeatPurchase.rate).toBeNull();
    expect(m.nps).toMatchObject({ responses: 0, nps: null });
    expect(m.communityConversion.any.rate).toBeNull();
    expect(m.groupUnlock.rate).toBeNull();
  });

  it('stores the attribution of a purchase on its order, dropping unknown sources', () => {
    const rules = { badges: [], program: DEFAULT_PROGRAM };
    const at = '2026-10-07T00:00:00.000Z';
    const buy = (id: string, props: Record<string, string | number>) =>
      applyEvent(undefined, 'c', { id, type: 'purchase', properties: { orderId: id, total: 10, currency: 'EUR', ...props } }, rules, at).customer
        .orders![id];
    expect(buy('o1', { kudos_src: 'directory', kudos_ref: 'https://dir.example', discountCode: 'X1' })).toMatchObject({
      src: 'directory',
      ref: 'https://dir.example',
      code: 'X1',
    });
    const plain = buy('o2', { kudos_src: 'billboard' });
    expect(plain).not.toHaveProperty('src');
    expect(plain).toEqual({ total: 10, currency: 'EUR', at, points: 10, refunded: 0, clawedBack: 0 });
  });
});
