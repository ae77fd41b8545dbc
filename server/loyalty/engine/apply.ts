// The rules engine: one event in, the customer's new state and the awards out.
// Pure: no I/O, no clock (callers pass `now`), no randomness (codes come in
// with the event).
import type { Award } from '../../schemas.js';
import type { CustomerState, Program } from '../schemas.js';
import { grantBadges, progressOf, revokeBadges, type CountedBadge } from './badges.js';
import {
  addToStats,
  attributionOf,
  matchesWhere,
  newCustomer,
  REDEMPTION_EVENT,
  roundMoney,
  statsKey,
  type CustomerRecord,
  type EngineEvent,
} from './customer.js';
import { balanceOf, clawback, compact, earn, expiresAt, pointsFor, redeem, replayExpiry, settleExpiry } from './points.js';
import { tierOf } from './tiers.js';

/** Internal event carrying the points it grants (`properties.points`), made by Kudos features only. */
export const BONUS_EVENT = 'kudos.bonus';

export interface Decision {
  customer: CustomerRecord;
  awards: Award[];
  /** Badges taken back (refunds). */
  revocations: Award[];
}

export interface Rules {
  badges: readonly CountedBadge[];
  program: Program;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Roll the event into its type's stats and into every property-filtered stats a badge asks for. */
function countEvent(c: CustomerRecord, event: EngineEvent, badges: readonly CountedBadge[], now: string): CustomerRecord['stats'] {
  const stats = { ...c.stats, [event.type]: addToStats(c.stats[event.type], event, now) };
  for (const { criteria } of badges) {
    if (criteria.event !== event.type || !criteria.where || !matchesWhere(criteria.where, event)) continue;
    const key = statsKey(criteria);
    // Several badges may share one filter: count the event once per filter.
    if (stats[key] === c.stats[key]) stats[key] = addToStats(c.stats[key], event, now);
  }
  return stats;
}

function applyPurchase(c: CustomerRecord, event: EngineEvent, rules: Rules, now: string): CustomerRecord {
  const orderId = str(event.properties?.orderId)!;
  // The same order sent again under another event id earns nothing twice.
  if (c.orders?.[orderId]) return c;
  const { points, earnCaps } = pointsFor(event, rules.program, c, now);
  const bought: CustomerRecord = {
    ...c,
    ...(earnCaps && { earnCaps }),
    stats: countEvent(c, event, rules.badges, now),
    ledger: earn(c, event, points, rules.program, now),
    orders: {
      ...c.orders,
      [orderId]: {
        total: num(event.properties?.total),
        currency: str(event.properties?.currency),
        at: now,
        points,
        refunded: 0,
        clawedBack: 0,
        ...attributionOf(event),
      },
    },
  };
  // A refund that arrived before its order (deliveries out of order) is taken off now.
  const ahead = c.refundsAhead?.[orderId];
  if (ahead === undefined) return bought;
  const { [orderId]: _done, ...rest } = c.refundsAhead!;
  const { refundsAhead: _all, ...withoutAhead } = bought;
  const remaining: CustomerRecord = Object.keys(rest).length > 0 ? { ...withoutAhead, refundsAhead: rest } : withoutAhead;
  return refundOrder(remaining, orderId, ahead.amount, { ...event, id: ahead.eventId }, ahead.at > now ? ahead.at : now);
}

/** Refunds waiting for their order, per customer: bounded so a backend's stray refunds cannot grow a record without end. */
export const MAX_REFUNDS_AHEAD = 50;

function applyRefund(c: CustomerRecord, event: EngineEvent, now: string): CustomerRecord {
  const next: CustomerRecord = { ...c, stats: { ...c.stats, refund: addToStats(c.stats.refund, event, now) } };
  const orderId = str(event.properties?.orderId)!;
  const amount = num(event.properties?.amount);
  if (c.orders?.[orderId]) return refundOrder(next, orderId, amount, event, now);
  // No such order yet: a platform may deliver the refund before the order. Keep it
  // (amounts add up) until the order comes, unless the order is simply unknown and too many wait.
  const waiting = c.refundsAhead?.[orderId];
  if (!waiting && Object.keys(c.refundsAhead ?? {}).length >= MAX_REFUNDS_AHEAD) return next;
  const refundsAhead = {
    ...c.refundsAhead,
    [orderId]: { amount: roundMoney((waiting?.amount ?? 0) + amount), at: waiting?.at ?? now, eventId: waiting?.eventId ?? event.id },
  };
  return { ...next, refundsAhead };
}

/** Take `amount` off a known order: points back in proportion, purchase stats shrink. */
function refundOrder(c: CustomerRecord, orderId: string, amount: number, event: EngineEvent, now: string): CustomerRecord {
  const order = c.orders![orderId]!;
  const { ledger, order: refundedOrder } = clawback(c, order, amount, event, orderId, now);
  // The purchase stats shrink by what was really refunded, so badge criteria see it.
  const purchase = c.stats.purchase ?? { count: 0, sums: {} };
  const delta = roundMoney(refundedOrder.refunded - order.refunded);
  const fullyRefunded = refundedOrder.refunded >= order.total && order.refunded < order.total;
  const stats = {
    ...c.stats,
    purchase: {
      ...purchase,
      count: purchase.count - (fullyRefunded ? 1 : 0),
      sums: { ...purchase.sums, total: roundMoney((purchase.sums.total ?? 0) - delta) },
    },
  };
  return { ...c, stats, ledger, orders: { ...c.orders, [orderId]: refundedOrder } };
}

function applyOther(c: CustomerRecord, event: EngineEvent, rules: Rules, now: string): CustomerRecord {
  const { points, earnCaps } = pointsFor(event, rules.program, c, now);
  return {
    ...c,
    stats: countEvent(c, event, rules.badges, now),
    ledger: earn(c, event, points, rules.program, now),
    ...(earnCaps && { earnCaps }),
  };
}

/** ISO instants compare as strings only in one form (UTC, milliseconds). */
const canonical = (iso: string) => new Date(Date.parse(iso)).toISOString();

/**
 * Apply one event: expire idle points, roll the event in, earn or spend points,
 * grant and revoke badges. Everything is dated when the event happened
 * (`occurredAt`, never after `now`), so history and late deliveries land where
 * they belong in time: orders in their cohort, points in their tier window,
 * badges awarded on the day they were earned. An event older than the customer's
 * latest activity (a late delivery) has the expiry of idle points replayed.
 */
export function applyEvent(
  existing: CustomerRecord | undefined,
  customerId: string,
  event: EngineEvent,
  rules: Rules,
  now: string,
): Decision {
  const at = event.occurredAt && Date.parse(event.occurredAt) < Date.parse(now) ? canonical(event.occurredAt) : now;
  const late = existing?.lastActivityAt !== undefined && at < existing.lastActivityAt;
  let c = existing ?? newCustomer(customerId, at);
  if (!late) c = settleExpiry(c, rules.program, at);
  switch (event.type) {
    case 'purchase':
      c = applyPurchase(c, event, rules, at);
      break;
    case 'refund':
      c = applyRefund(c, event, at);
      break;
    case BONUS_EVENT:
      // Points a Kudos feature decided (a gift, a check-in) travel with the event; clients cannot send kudos.* types.
      c = { ...c, stats: countEvent(c, event, rules.badges, at), ledger: earn(c, event, Math.max(0, Math.floor(num(event.properties?.points))), rules.program, at) };
      break;
    case REDEMPTION_EVENT: {
      const p = event.properties ?? {};
      c = { ...c, ledger: redeem(c, event, { rewardId: str(p.rewardId)!, cost: num(p.cost), code: str(p.code)! }, at) };
      break;
    }
    default:
      c = applyOther(c, event, rules, at);
  }
  const latest = late ? existing!.lastActivityAt! : at;
  c = { ...c, createdAt: at < c.createdAt ? at : c.createdAt, updatedAt: now, lastActivityAt: latest };
  if (late) c = { ...c, ledger: replayExpiry(c.ledger, rules.program) };
  c = compact(c, rules.program, latest);
  const { badges: afterRevoke, revocations } =
    event.type === 'refund' ? revokeBadges(c, rules.badges, at) : { badges: c.badges, revocations: [] };
  const { badges, awards } = grantBadges({ ...c, badges: afterRevoke }, rules.badges, { ...event, occurredAt: at }, at);
  return { customer: { ...c, badges }, awards, revocations };
}

const RECENT_ACTIVITY = 10;

/** What a shopper (or the shop) sees: points, tier, earned badges, then locked ones with progress. */
export function customerView(
  customerId: string,
  customer: CustomerRecord | undefined,
  rules: Rules,
  now: string,
): CustomerState {
  const record = settleExpiry(customer ?? newCustomer(customerId, now), rules.program, now);
  const definitions = rules.badges;
  const badges = Object.entries(record.badges)
    .map(([id, b]) => {
      // Show the badge as the shop describes it now; fall back to what it was called when earned.
      const current = definitions.find((d) => d.id === id);
      return {
        id,
        name: current?.name ?? b.name,
        description: current ? current.description : b.description,
        icon: current ? current.icon : b.icon,
        awardedAt: b.awardedAt,
      };
    })
    .sort((a, b) => a.awardedAt.localeCompare(b.awardedAt));
  const lockedBadges = definitions
    .filter((d) => d.active !== false && !record.badges[d.id])
    .map((d) => {
      const { current, target } = progressOf(record, d.criteria, now);
      return {
        id: d.id,
        name: d.name,
        description: d.description,
        icon: d.icon,
        progress: {
          current: Math.min(Math.max(current, 0), target),
          target,
          event: d.criteria.event,
          ...(d.criteria.sumOf !== undefined && { property: d.criteria.sumOf }),
          ...(d.criteria.streakWeeks !== undefined && { unit: 'weeks' as const }),
        },
      };
    });
  const balance = balanceOf(record.ledger, now);
  const standing = tierOf(record, rules.program, now);
  const expiry = balance.total > 0 ? expiresAt(record, rules.program) : undefined;
  return {
    customerId,
    points: balance.available,
    pendingPoints: balance.pending,
    ...(expiry && { pointsExpireAt: expiry }),
    tier: standing?.current?.name ?? null,
    tierProgress: standing,
    activity: (record.ledger ?? [])
      .filter((e) => e.kind !== 'carry')
      .slice(-RECENT_ACTIVITY)
      .reverse()
      .map((e) => ({
        kind: e.kind as Exclude<typeof e.kind, 'carry'>,
        points: e.points,
        at: e.at,
        ...(e.orderId && { orderId: e.orderId }),
        ...(e.rewardId && { rewardId: e.rewardId }),
        ...(e.availableAt && e.availableAt > now && { availableAt: e.availableAt }),
      })),
    badges,
    lockedBadges,
    trophies: [],
  };
}
