// The rules engine: one event in, the customer's new state and the awards out.
// Pure: no I/O, no clock (callers pass `now`), no randomness (codes come in
// with the event).
import type { Award } from '../../schemas.js';
import type { CustomerState, Program } from '../schemas.js';
import { grantBadges, progressOf, revokeBadges, type CountedBadge } from './badges.js';
import {
  addToStats,
  attributionOf,
  idMap,
  matchesWhere,
  newCustomer,
  REDEMPTION_EVENT,
  roundMoney,
  setOwn,
  statsKey,
  withUpdate,
  type CustomerFields,
  type CustomerRecord,
  type CustomerUpdate,
  type EngineEvent,
  type LedgerEntry,
  type OrderRecord,
} from './customer.js';
import {
  balanceOf,
  clawback,
  compact,
  earn,
  expiresAt,
  earlier,
  horizonOf,
  oldestOf,
  pointsFor,
  redeem,
  replayExpiry,
  settleExpiry,
  type Balance,
} from './points.js';
import { tierOf } from './tiers.js';

/** Internal event carrying the points it grants (`properties.points`), made by Kudos features only. */
export const BONUS_EVENT = 'kudos.bonus';

export interface Decision {
  /** What the event changes in the customer: the store applies it to the record it holds. */
  update: CustomerUpdate;
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

/**
 * The customer while one event is applied: the small fields replaced as before
 * (they stay small), orders and ledger read through to the existing record and
 * only added to, so an event costs the same with 1 or 10 000 prior orders. Local
 * to one call: the existing record is never changed.
 */
class Draft {
  private readonly baseOrders: Readonly<Record<string, OrderRecord>> | undefined;
  private readonly baseLedger: readonly LedgerEntry[];
  private changed: Record<string, OrderRecord> | undefined;
  private appended: LedgerEntry[] = [];
  private allOrders: Record<string, OrderRecord> | undefined;
  private wholeLedger: LedgerEntry[] | undefined;

  /** CustomerRecord `oldestAt` as the event leaves it. */
  oldest: string | undefined;

  constructor(
    public c: CustomerFields,
    existing: CustomerRecord | undefined,
  ) {
    this.baseOrders = existing?.orders;
    this.baseLedger = existing?.ledger ?? [];
    // A record from before `oldestAt` existed is scanned once; after that it is kept as things are added.
    this.oldest = c.oldestAt ?? oldestOf([this.baseLedger], [this.baseOrders]);
  }

  order(id: string): OrderRecord | undefined {
    const from = this.allOrders ?? (this.changed && Object.hasOwn(this.changed, id) ? this.changed : this.baseOrders);
    return from && Object.hasOwn(from, id) ? from[id] : undefined;
  }

  setOrder(id: string, order: OrderRecord): void {
    this.oldest = earlier(this.oldest, order.at);
    if (this.allOrders) setOwn(this.allOrders, id, order);
    else setOwn((this.changed ??= idMap()), id, order);
  }

  add(entry: LedgerEntry | undefined): void {
    if (!entry) return;
    if (entry.kind !== 'carry') this.oldest = earlier(this.oldest, entry.at);
    if (this.wholeLedger) this.wholeLedger.push(entry);
    else this.appended.push(entry);
  }

  /** The ledger in parts (no copy): the existing entries, then the added ones. */
  ledgerParts(): readonly (readonly LedgerEntry[])[] {
    return this.wholeLedger ? [this.wholeLedger] : [this.baseLedger, this.appended];
  }

  balance(now: string): Balance {
    const parts = this.ledgerParts().map((part) => balanceOf(part, now));
    return parts.reduce((a, b) => ({ available: a.available + b.available, pending: a.pending + b.pending, total: a.total + b.total }));
  }

  /** The whole ledger, copied: only for the rare rewrites (a late event, a compaction). */
  ledger(): LedgerEntry[] {
    return this.wholeLedger ?? [...this.baseLedger, ...this.appended];
  }

  /** The orders in parts (no copy): a part's order may stand in a later part changed. */
  orderMaps(): readonly (Readonly<Record<string, OrderRecord>> | undefined)[] {
    return this.allOrders ? [this.allOrders] : [this.baseOrders, this.changed];
  }

  orders(): Record<string, OrderRecord> {
    if (this.allOrders) return this.allOrders;
    const orders = { ...this.baseOrders };
    for (const id of Object.keys(this.changed ?? {})) setOwn(orders, id, this.changed![id]!);
    return orders;
  }

  rewrite(ledger: LedgerEntry[], orders?: Record<string, OrderRecord>): void {
    this.wholeLedger = ledger;
    this.appended = [];
    if (orders) {
      this.allOrders = orders;
      this.changed = undefined;
    }
    // Entries may have gone (expiry replayed, older ones folded): found again, as rare as the rewrite.
    this.oldest = oldestOf(this.ledgerParts(), this.orderMaps());
  }

  /** Whether `compact` would fold anything before `horizon`: an order or a ledger entry besides a carry older than it. */
  holdsBefore(horizon: string): boolean {
    return this.oldest !== undefined && this.oldest < horizon;
  }

  update(): CustomerUpdate {
    const { oldestAt: _was, ...fields } = this.c;
    return {
      fields: this.oldest === undefined ? fields : { ...fields, oldestAt: this.oldest },
      ...(this.allOrders ? { allOrders: this.allOrders } : this.changed && { orders: this.changed }),
      ...(this.wholeLedger ? { ledger: this.wholeLedger } : this.appended.length > 0 && { append: this.appended }),
    };
  }
}

/** Roll the event into its type's stats and into every property-filtered stats a badge asks for. */
function countEvent(c: CustomerFields, event: EngineEvent, badges: readonly CountedBadge[], now: string): CustomerFields['stats'] {
  const stats = { ...c.stats, [event.type]: addToStats(c.stats[event.type], event, now) };
  for (const { criteria } of badges) {
    if (criteria.event !== event.type || !criteria.where || !matchesWhere(criteria.where, event)) continue;
    const key = statsKey(criteria);
    // Several badges may share one filter: count the event once per filter.
    if (stats[key] === c.stats[key]) stats[key] = addToStats(c.stats[key], event, now);
  }
  return stats;
}

function applyPurchase(d: Draft, event: EngineEvent, rules: Rules, now: string): void {
  const orderId = str(event.properties?.orderId)!;
  // The same order sent again under another event id earns nothing twice.
  if (d.order(orderId)) return;
  const { points, earnCaps } = pointsFor(event, rules.program, d.c, now);
  d.c = { ...d.c, ...(earnCaps && { earnCaps }), stats: countEvent(d.c, event, rules.badges, now) };
  d.add(earn(event, points, rules.program, now));
  d.setOrder(orderId, {
    total: num(event.properties?.total),
    currency: str(event.properties?.currency),
    at: now,
    points,
    refunded: 0,
    clawedBack: 0,
    ...attributionOf(event),
  });
  // A refund that arrived before its order (deliveries out of order) is taken off now.
  const ahead = d.c.refundsAhead && Object.hasOwn(d.c.refundsAhead, orderId) ? d.c.refundsAhead[orderId] : undefined;
  if (ahead === undefined) return;
  const { [orderId]: _done, ...rest } = d.c.refundsAhead!;
  const { refundsAhead: _all, ...withoutAhead } = d.c;
  d.c = Object.keys(rest).length > 0 ? { ...withoutAhead, refundsAhead: rest } : withoutAhead;
  refundOrder(d, orderId, ahead.amount, { ...event, id: ahead.eventId }, ahead.at > now ? ahead.at : now);
}

/** Refunds waiting for their order, per customer: bounded so a backend's stray refunds cannot grow a record without end. */
export const MAX_REFUNDS_AHEAD = 50;

function applyRefund(d: Draft, event: EngineEvent, now: string): void {
  d.c = { ...d.c, stats: { ...d.c.stats, refund: addToStats(d.c.stats.refund, event, now) } };
  const orderId = str(event.properties?.orderId)!;
  const amount = num(event.properties?.amount);
  if (d.order(orderId)) return refundOrder(d, orderId, amount, event, now);
  // No such order yet: a platform may deliver the refund before the order. Keep it
  // (amounts add up) until the order comes, unless the order is simply unknown and too many wait.
  const waiting = d.c.refundsAhead && Object.hasOwn(d.c.refundsAhead, orderId) ? d.c.refundsAhead[orderId] : undefined;
  if (!waiting && Object.keys(d.c.refundsAhead ?? {}).length >= MAX_REFUNDS_AHEAD) return;
  const refundsAhead = { ...d.c.refundsAhead };
  setOwn(refundsAhead, orderId, { amount: roundMoney((waiting?.amount ?? 0) + amount), at: waiting?.at ?? now, eventId: waiting?.eventId ?? event.id });
  d.c = { ...d.c, refundsAhead };
}

/** Take `amount` off a known order: points back in proportion, purchase stats shrink. */
function refundOrder(d: Draft, orderId: string, amount: number, event: EngineEvent, now: string): void {
  const order = d.order(orderId)!;
  const { entry, order: refundedOrder } = clawback(order, amount, event, orderId, now);
  // The purchase stats shrink by what was really refunded, so badge criteria see it.
  const purchase = d.c.stats.purchase ?? { count: 0, sums: {} };
  const delta = roundMoney(refundedOrder.refunded - order.refunded);
  const fullyRefunded = refundedOrder.refunded >= order.total && order.refunded < order.total;
  const stats = {
    ...d.c.stats,
    purchase: {
      ...purchase,
      count: purchase.count - (fullyRefunded ? 1 : 0),
      sums: { ...purchase.sums, total: roundMoney((purchase.sums.total ?? 0) - delta) },
    },
  };
  d.c = { ...d.c, stats };
  d.add(entry);
  d.setOrder(orderId, refundedOrder);
}

function applyOther(d: Draft, event: EngineEvent, rules: Rules, now: string): void {
  const { points, earnCaps } = pointsFor(event, rules.program, d.c, now);
  d.c = { ...d.c, stats: countEvent(d.c, event, rules.badges, now), ...(earnCaps && { earnCaps }) };
  d.add(earn(event, points, rules.program, now));
}

/** Expire the balance of a customer inactive for `expiryDays` (settleExpiry, on the draft). */
function settle(d: Draft, program: Program, now: string): void {
  const at = expiresAt(d.c, program);
  if (!at || at > now) return;
  const { total } = d.balance(at);
  if (total > 0) d.add({ kind: 'expire', points: -total, at, eventId: `expiry:${at}` });
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
 * Answers what changes (`CustomerUpdate`), not a new record: orders and ledger
 * are only added to, so nothing is copied that the event leaves as it was.
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
  let fields: CustomerFields;
  if (existing) {
    const { orders: _orders, ledger: _ledger, ...rest } = existing;
    fields = rest;
  } else fields = newCustomer(customerId, at);
  const d = new Draft(fields, existing);
  if (!late) settle(d, rules.program, at);
  switch (event.type) {
    case 'purchase':
      applyPurchase(d, event, rules, at);
      break;
    case 'refund':
      applyRefund(d, event, at);
      break;
    case BONUS_EVENT:
      // Points a Kudos feature decided (a gift, a check-in) travel with the event; clients cannot send kudos.* types.
      d.c = { ...d.c, stats: countEvent(d.c, event, rules.badges, at) };
      d.add(earn(event, Math.max(0, Math.floor(num(event.properties?.points))), rules.program, at));
      break;
    case REDEMPTION_EVENT: {
      const p = event.properties ?? {};
      d.add(redeem(d.balance(at).available, event, { rewardId: str(p.rewardId)!, cost: num(p.cost), code: str(p.code)! }, at));
      break;
    }
    default:
      applyOther(d, event, rules, at);
  }
  const latest = late ? existing!.lastActivityAt! : at;
  d.c = { ...d.c, createdAt: at < d.c.createdAt ? at : d.c.createdAt, updatedAt: now, lastActivityAt: latest };
  if (late) d.rewrite(replayExpiry(d.ledger(), rules.program));
  const horizon = horizonOf(rules.program, latest);
  if (d.holdsBefore(horizon)) {
    const folded = compact(d.ledger(), d.orders(), horizon);
    d.rewrite(folded.ledger, folded.orders);
  }
  const c = d.c as CustomerRecord;
  const { badges: afterRevoke, revocations } =
    event.type === 'refund' ? revokeBadges(c, rules.badges, at) : { badges: c.badges, revocations: [] };
  const { badges, awards } = grantBadges({ ...c, badges: afterRevoke }, rules.badges, { ...event, occurredAt: at }, at);
  d.c = { ...d.c, badges };
  return { update: d.update(), awards, revocations };
}

/** applyEvent, answering the new record whole (a copy): for tests and benches that keep records themselves. */
export function applyEventToRecord(
  existing: CustomerRecord | undefined,
  customerId: string,
  event: EngineEvent,
  rules: Rules,
  now: string,
): { customer: CustomerRecord; awards: Award[]; revocations: Award[] } {
  const { update, awards, revocations } = applyEvent(existing, customerId, event, rules, now);
  return { customer: withUpdate(existing, update), awards, revocations };
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
