import { describe, expect, it } from 'vitest';
import { applyEvent as decideEvent, applyEventToRecord as applyEvent, customerView, type Rules } from '../../server/loyalty/engine/apply.js';
import { REDEMPTION_EVENT, type CustomerRecord, type EngineEvent } from '../../server/loyalty/engine/customer.js';
import { InsufficientPoints } from '../../server/loyalty/engine/points.js';
import { ProgramInput, type BadgeDefinition } from '../../server/loyalty/schemas.js';

const DAY = 86_400_000;
const t0 = Date.parse('2026-01-05T10:00:00.000Z');
const day = (n: number) => new Date(t0 + n * DAY).toISOString();

const program = ProgramInput.parse({
  earn: [
    { event: 'purchase', points: 1, per: 'total' },
    { event: 'review', points: 50 },
  ],
});
const badge = (id: string, criteria: BadgeDefinition['criteria'], onRefund?: 'keep' | 'revoke'): BadgeDefinition => ({
  id,
  name: id,
  criteria,
  ...(onRefund && { onRefund }),
  createdAt: day(0),
  updatedAt: day(0),
});

const purchase = (orderId: string, total: number, id = `p-${orderId}`): EngineEvent => ({
  id,
  type: 'purchase',
  properties: { orderId, total, currency: 'EUR' },
});
const refund = (orderId: string, amount: number, id = `r-${orderId}-${amount}`): EngineEvent => ({
  id,
  type: 'refund',
  properties: { orderId, amount },
});
const redemption = (n: number, cost: number): EngineEvent => ({
  id: `redeem:${n}`,
  type: REDEMPTION_EVENT,
  properties: { rewardId: 'coffee', cost, code: `CODE${n}` },
});

function play(steps: [EngineEvent, string][], rules: Rules = { badges: [], program }) {
  let customer: CustomerRecord | undefined;
  const decisions = [];
  for (const [event, at] of steps) {
    const decision = applyEvent(customer, 'c1', event, rules, at);
    customer = decision.customer;
    decisions.push(decision);
  }
  return { customer: customer!, decisions, view: (at: string) => customerView('c1', customer, rules, at) };
}

describe('points ledger', () => {
  it('earns by the rules: one point per whole euro, fixed points per review, entries traceable to events', () => {
    const { customer, view } = play([
      [purchase('o1', 24.99), day(0)],
      [{ id: 'rev-1', type: 'review' }, day(0)],
    ]);
    expect(view(day(0)).points).toBe(74);
    expect(customer.ledger!.map((e) => [e.kind, e.points, e.eventId])).toEqual([
      ['earn', 24, 'p-o1'],
      ['earn', 50, 'rev-1'],
    ]);
  });

  it('earns nothing twice for the same order sent under a second event id', () => {
    const { view } = play([
      [purchase('o1', 40, 'first'), day(0)],
      [purchase('o1', 40, 'again'), day(0)],
    ]);
    expect(view(day(0)).points).toBe(40);
  });

  it('claws back a refund proportionally, never more than the order earned', () => {
    const { view, customer } = play([
      [purchase('o1', 100), day(0)],
      [refund('o1', 25), day(1)],
      [refund('o1', 500), day(2)],
      [refund('unknown-order', 10), day(2)],
    ]);
    expect(customer.ledger!.map((e) => e.points)).toEqual([100, -25, -75]);
    expect(view(day(2)).points).toBe(0);
  });

  it('lets a clawback take the balance below zero when the points were already spent', () => {
    const { view } = play([
      [purchase('o1', 100), day(0)],
      [redemption(1, 100), day(0)],
      [refund('o1', 100), day(1)],
    ]);
    expect(view(day(1)).points).toBe(-100);
  });

  it('keeps earned points pending until the pending period is over', () => {
    const pending = { badges: [], program: { ...program, pendingDays: 14 } };
    const { view } = play([[purchase('o1', 30), day(0)]], pending);
    expect(view(day(13))).toMatchObject({ points: 0, pendingPoints: 30 });
    expect(view(day(14))).toMatchObject({ points: 30, pendingPoints: 0 });
    expect(() => play([[purchase('o1', 30), day(0)], [redemption(1, 30), day(13)]], pending)).toThrow(InsufficientPoints);
  });

  it('expires the balance after N days without activity, not a day earlier, and any activity resets the clock', () => {
    const expiring = { badges: [], program: { ...program, expiryDays: 30 } };
    const { view } = play([[purchase('o1', 40), day(0)]], expiring);
    expect(view(day(29))).toMatchObject({ points: 40, pointsExpireAt: day(30) });
    expect(view(day(30)).points).toBe(0);
    expect(view(day(30)).activity[0]).toMatchObject({ kind: 'expire', points: -40, at: day(30) });

    const active = play([[purchase('o1', 40), day(0)], [{ id: 'v', type: 'page_view' }, day(20)]], expiring);
    expect(active.view(day(45)).points).toBe(40);
    expect(active.view(day(50)).points).toBe(0);
  });

  it('never redeems more than the spendable balance', () => {
    const { view } = play([
      [purchase('o1', 120), day(0)],
      [redemption(1, 100), day(0)],
    ]);
    expect(view(day(0)).points).toBe(20);
    expect(() => play([[purchase('o1', 120), day(0)], [redemption(1, 100), day(0)], [redemption(2, 100), day(0)]])).toThrow(
      /needs 100 points; 20 are available/,
    );
  });
});

describe('refunds and badges', () => {
  const bigSpender = badge('big-spender', { event: 'purchase', sumOf: 'total', atLeast: 100 }, 'revoke');
  const regular = badge('regular', { event: 'purchase', count: 2 }, 'revoke');
  const loyal = badge('loyal', { event: 'purchase', count: 1 }, 'keep');
  const rules = { badges: [bigSpender, regular, loyal], program };

  it('revokes a "revoke" badge whose criteria no longer hold, keeps a "keep" badge, and says so', () => {
    const { decisions, view } = play(
      [
        [purchase('o1', 60), day(0)],
        [purchase('o2', 60), day(1)],
        [refund('o2', 60), day(2)],
      ],
      rules,
    );
    expect(decisions[1]!.awards.map((a) => a.id).sort()).toEqual(['big-spender', 'regular']);
    expect(decisions[2]!.revocations.map((a) => a.id).sort()).toEqual(['big-spender', 'regular']);
    expect(view(day(2)).badges.map((b) => b.id)).toEqual(['loyal']);
  });

  it('keeps a "revoke" badge after a partial refund that leaves its criteria met', () => {
    const { decisions } = play(
      [
        [purchase('o1', 150), day(0)],
        [refund('o1', 30), day(1)],
      ],
      rules,
    );
    expect(decisions[1]!.revocations).toEqual([]);
  });

  it('grants a revoked badge again when it is earned again', () => {
    const { decisions } = play(
      [
        [purchase('o1', 120), day(0)],
        [refund('o1', 120), day(1)],
        [purchase('o2', 100), day(2)],
      ],
      rules,
    );
    expect(decisions[2]!.awards.map((a) => a.id)).toContain('big-spender');
  });
});

describe('tiers', () => {
  const tiered = ProgramInput.parse({
    tiers: {
      basis: 'points',
      windowDays: 365,
      levels: [
        { name: 'Bronze', min: 0 },
        { name: 'Silver', min: 100 },
        { name: 'Gold', min: 300 },
      ],
    },
  });

  it('places the customer by points earned in the window, with what the next tier needs', () => {
    const { view } = play([[purchase('o1', 120), day(0)]], { badges: [], program: tiered });
    expect(view(day(0))).toMatchObject({
      tier: 'Silver',
      tierProgress: { value: 120, current: { name: 'Silver' }, next: { name: 'Gold', remaining: 180 } },
    });
    // Points earned more than a year ago no longer count for the tier.
    expect(view(day(366)).tier).toBe('Bronze');
  });

  it('counts spending net of refunds on a spend basis, and spending points does not lower the tier', () => {
    const spend = { ...tiered, tiers: { ...tiered.tiers!, basis: 'spend' as const } };
    const { view } = play(
      [
        [purchase('o1', 200), day(0)],
        [refund('o1', 150), day(1)],
      ],
      { badges: [], program: spend },
    );
    expect(view(day(1))).toMatchObject({ tier: 'Bronze', tierProgress: { value: 50, next: { name: 'Silver', remaining: 50 } } });
    const kept = play([[purchase('o1', 150), day(0)], [redemption(1, 100), day(0)]], { badges: [], program: tiered });
    expect(kept.view(day(0)).tier).toBe('Silver');
  });
});

describe('richer badge criteria', () => {
  const market = badge('market-regular', { event: 'purchase', count: 2, where: { channel: 'market' } });
  const firstReview = badge('first-review', { event: 'review', first: true });
  const streak = badge('streak', { event: 'purchase', streakWeeks: 3 });
  const rules = { badges: [market, firstReview, streak], program };
  const at = (id: string, channel: string) => ({ ...purchase(id, 10), properties: { orderId: id, total: 10, currency: 'EUR', channel } });

  it('counts only events whose properties match "where"', () => {
    const { decisions, view } = play(
      [
        [at('a', 'market'), day(0)],
        [at('b', 'online'), day(0)],
        [at('c', 'market'), day(0)],
      ],
      rules,
    );
    expect(decisions.map((d) => d.awards.map((a) => a.id))).toEqual([[], [], ['market-regular']]);
    expect(view(day(0)).lockedBadges.find((b) => b.id === 'market-regular')).toBeUndefined();
  });

  it('grants "first" on the first event of the type', () => {
    const { decisions } = play([[{ id: 'rv', type: 'review' }, day(0)]], rules);
    expect(decisions[0]!.awards.map((a) => a.id)).toEqual(['first-review']);
  });

  it('grants a streak after purchases in N consecutive weeks; a missed week starts over', () => {
    // day(0) is a Monday.
    const broken = play(
      [
        [purchase('w1', 5), day(0)],
        [purchase('w2', 5), day(8)],
        [purchase('w4', 5), day(22)],
        [purchase('w5', 5), day(29)],
      ],
      rules,
    );
    expect(broken.decisions.flatMap((d) => d.awards.map((a) => a.id))).not.toContain('streak');
    expect(broken.view(day(29)).lockedBadges.find((b) => b.id === 'streak')!.progress).toMatchObject({ current: 2, target: 3, unit: 'weeks' });
    // Two weeks later without a purchase, the streak shows as broken.
    expect(broken.view(day(43)).lockedBadges.find((b) => b.id === 'streak')!.progress.current).toBe(0);
    const kept = play(
      [
        [purchase('w1', 5), day(0)],
        [purchase('w1b', 5), day(6)],
        [purchase('w2', 5), day(7)],
        [purchase('w3', 5), day(20)],
      ],
      rules,
    );
    expect(kept.decisions.map((d) => d.awards.some((a) => a.id === 'streak'))).toEqual([false, false, false, true]);
  });

  it('stops granting a capped badge once the shop has given out maxAwards', () => {
    const capped = { ...badge('first-100', { event: 'purchase', count: 1 }), maxAwards: 100 };
    const full = play([[purchase('o1', 5), day(0)]], { badges: [{ ...capped, awardedCount: 100 }], program });
    expect(full.decisions[0]!.awards).toEqual([]);
    const open = play([[purchase('o1', 5), day(0)]], { badges: [{ ...capped, awardedCount: 99 }], program });
    expect(open.decisions[0]!.awards.map((a) => a.id)).toEqual(['first-100']);
  });
});

describe('compaction: a customer record stops growing with their order count', () => {
  const lifetime = ProgramInput.parse({
    tiers: { basis: 'points', windowDays: null, levels: [{ name: 'Bronze', min: 0 }, { name: 'Gold', min: 1000 }] },
  });

  it('folds history older than the horizon into one carry entry, keeping balance and lifetime tier', () => {
    const steps: [EngineEvent, string][] = Array.from({ length: 30 }, (_, i) => [purchase(`o${i}`, 50), day(i * 30)]);
    const { customer, view } = play(steps, { badges: [], program: lifetime });
    const last = day(29 * 30);
    expect(view(last)).toMatchObject({ points: 1500, tier: 'Gold', tierProgress: { value: 1500 } });
    // About a year of entries in full, and one carry for the rest.
    expect(customer.ledger!.filter((e) => e.kind === 'carry')).toHaveLength(1);
    expect(customer.ledger!.length).toBeLessThanOrEqual(14);
    expect(Object.keys(customer.orders!).length).toBeLessThanOrEqual(13);
    expect(view(last).activity.map((a) => a.kind)).not.toContain('carry');
  });

  it('claws nothing back for a refund of an order older than the horizon', () => {
    const { view } = play([
      [purchase('old', 100), day(0)],
      [purchase('new', 10), day(400)],
      [refund('old', 100), day(401)],
    ]);
    expect(view(day(401)).points).toBe(110);
  });

  it('answers what an event adds, not a copy of the history: one order and one entry for a customer with 2 000 orders, the record untouched', () => {
    const steps: [EngineEvent, string][] = Array.from({ length: 2000 }, (_, i) => [purchase(`o${i}`, 10), day(0)]);
    const { customer } = play(steps);
    const before = structuredClone(customer);
    const { update } = decideEvent(customer, 'c1', purchase('new', 30), { badges: [], program }, day(1));
    expect(Object.keys(update.orders!)).toEqual(['new']);
    expect(update.append!.map((e) => [e.kind, e.points, e.orderId])).toEqual([['earn', 30, 'new']]);
    expect(update).not.toHaveProperty('allOrders');
    expect(update).not.toHaveProperty('ledger');
    expect(update.fields).not.toHaveProperty('orders');
    expect(update.fields.stats.purchase!.count).toBe(2001);
    expect(customer).toEqual(before);
    // A refund changes the one order it names.
    const refunded = decideEvent(customer, 'c1', refund('o7', 5), { badges: [], program }, day(1)).update;
    expect(refunded.orders).toEqual({ o7: expect.objectContaining({ refunded: 5, clawedBack: 5 }) });
    expect(refunded.append!.map((e) => [e.kind, e.points])).toEqual([['clawback', -5]]);
  });

  it('rewrites the history only when it folds old entries: the year-old orders leave, a carry keeps their points', () => {
    const { customer } = play([
      [purchase('old', 40), day(0)],
      [purchase('recent', 10), day(300)],
    ]);
    const { update } = decideEvent(customer, 'c1', purchase('now', 5), { badges: [], program }, day(400));
    expect(Object.keys(update.allOrders!)).toEqual(['recent', 'now']);
    expect(update.ledger!.map((e) => [e.kind, e.points])).toEqual([
      ['carry', 40],
      ['earn', 10],
      ['earn', 5],
    ]);
    expect(update).not.toHaveProperty('orders');
    expect(update).not.toHaveProperty('append');
  });

  it('knows whether anything is old enough to fold from the record (oldestAt), not by reading its history; a record written before finds it once', () => {
    const { customer } = play([
      [purchase('old', 40), day(0)],
      [purchase('recent', 10), day(300)],
    ]);
    expect(customer.oldestAt).toBe(day(0));
    // No fold yet: the oldest order is within the horizon.
    const kept = decideEvent(customer, 'c1', purchase('soon', 5), { badges: [], program }, day(301)).update;
    expect(kept).not.toHaveProperty('allOrders');
    expect(kept.fields.oldestAt).toBe(day(0));
    const { oldestAt: _none, ...older } = customer;
    const { update } = decideEvent(older, 'c1', purchase('now', 5), { badges: [], program }, day(400));
    expect(Object.keys(update.allOrders!)).toEqual(['recent', 'now']);
    // What is left after the fold: the oldest is the recent order.
    expect(update.fields.oldestAt).toBe(day(300));
    const next = decideEvent({ ...older, ...update.fields, orders: update.allOrders, ledger: update.ledger }, 'c1', purchase('later', 5), { badges: [], program }, day(401)).update;
    expect(next).not.toHaveProperty('allOrders');
    expect(next.fields.oldestAt).toBe(day(300));
  });
});
