// The points ledger: earning by rules, clawback on refunds, redemption and
// expiry. Pure functions; `now` is an ISO string handed in.
import { isUnsafeBrowserRule } from '../../events/schemas.js';
import { type Program } from '../schemas.js';
import type { CustomerRecord, EarnCapUsage, EngineEvent, LedgerEntry, OrderRecord } from './customer.js';

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

export interface Balance {
  /** Spendable now. */
  available: number;
  /** Earned, not spendable yet (pending period). */
  pending: number;
  total: number;
}

export function balanceOf(ledger: readonly LedgerEntry[] | undefined, now: string): Balance {
  let total = 0;
  let pending = 0;
  for (const entry of ledger ?? []) {
    total += entry.points;
    if (entry.kind === 'earn' && entry.availableAt && entry.availableAt > now) pending += entry.points;
  }
  return { available: total - pending, pending, total };
}

/** A capped rule's key in the day's usage: its place and event, so editing the program starts it afresh. */
const capKey = (index: number, event: string) => `${index}:${event}`;
const MAX_TARGET_LENGTH = 128;

/**
 * Points an event earns under the program's rules (all matching rules add up),
 * and the capped rules' usage for today after it. A capped rule pays at most
 * `cap.perDay` events per customer per UTC day of `now` (server time: an
 * event's own `occurredAt` is the sender's word), and with `cap.target` once
 * per value of that property per day.
 */
export function pointsFor(
  event: EngineEvent,
  program: Program,
  customer?: Pick<CustomerRecord, 'earnCaps'>,
  now?: string,
): { points: number; earnCaps?: EarnCapUsage } {
  let points = 0;
  const day = (now ?? event.occurredAt ?? '').slice(0, 10);
  let usage: EarnCapUsage | undefined = customer?.earnCaps?.day === day ? customer.earnCaps : undefined;
  program.earn.forEach((rule, index) => {
    if (rule.event !== event.type) return;
    // A program stored before browser rules had to be capped still holds such a rule: it pays nothing rather than without bound.
    if (isUnsafeBrowserRule(rule)) return;
    if (rule.cap) {
      const key = capKey(index, rule.event);
      const used = usage?.rules[key] ?? { paid: 0 };
      if (used.paid >= rule.cap.perDay) return;
      let targets = used.targets;
      if (rule.cap.target !== undefined) {
        const value = event.properties?.[rule.cap.target];
        if (typeof value !== 'string' && typeof value !== 'number') return;
        const target = String(value).slice(0, MAX_TARGET_LENGTH);
        if (targets?.includes(target)) return;
        targets = [...(targets ?? []), target];
      }
      usage = { day, rules: { ...usage?.rules, [key]: { paid: used.paid + 1, ...(targets && { targets }) } } };
    }
    if (rule.per === undefined) {
      points += rule.points;
      return;
    }
    const amount = event.properties?.[rule.per];
    if (typeof amount === 'number' && amount > 0) points += Math.floor(amount * rule.points);
  });
  return { points, ...(usage && { earnCaps: usage }) };
}

/** When the balance expires for inactivity, if it does. */
export function expiresAt(customer: Pick<CustomerRecord, 'lastActivityAt'>, program: Program): string | undefined {
  if (program.expiryDays === null || !customer.lastActivityAt) return undefined;
  return addDays(customer.lastActivityAt, program.expiryDays);
}

/**
 * Expire the balance of a customer inactive for `expiryDays`. Runs before any
 * new activity is applied, and for display, so the ledger tells when it happened.
 */
export function settleExpiry(customer: CustomerRecord, program: Program, now: string): CustomerRecord {
  const at = expiresAt(customer, program);
  if (!at || at > now) return customer;
  const { total } = balanceOf(customer.ledger, at);
  if (total <= 0) return customer;
  const entry: LedgerEntry = { kind: 'expire', points: -total, at, eventId: `expiry:${at}` };
  return { ...customer, ledger: [...(customer.ledger ?? []), entry] };
}

/**
 * After an event older than the customer's latest activity (history, a late
 * delivery): the ledger in time order, with the expiry of idle points worked out
 * again from it. The points entries are the activity timeline here (an older
 * page view that earned nothing is not known any more), so a balance expires
 * where a gap between two entries exceeds `expiryDays`.
 */
export function replayExpiry(ledger: readonly LedgerEntry[] | undefined, program: Program): LedgerEntry[] {
  const ordered = (ledger ?? []).filter((e) => e.kind !== 'expire').sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (program.expiryDays === null) return ordered;
  const replayed: LedgerEntry[] = [];
  let total = 0;
  let lastActivity: string | undefined;
  for (const entry of ordered) {
    if (entry.kind !== 'carry' && lastActivity) {
      const at = addDays(lastActivity, program.expiryDays);
      if (at <= entry.at && total > 0) {
        replayed.push({ kind: 'expire', points: -total, at, eventId: `expiry:${at}` });
        total = 0;
      }
    }
    replayed.push(entry);
    total += entry.points;
    if (entry.kind !== 'carry') lastActivity = entry.at;
  }
  return replayed;
}

/** The entry earning `points` for `event`, none for nothing. */
export function earn(event: EngineEvent, points: number, program: Program, now: string): LedgerEntry | undefined {
  if (points <= 0) return undefined;
  const entry: LedgerEntry = { kind: 'earn', points, at: now, eventId: event.id };
  if (program.pendingDays > 0) entry.availableAt = addDays(now, program.pendingDays);
  const orderId = event.properties?.orderId;
  if (typeof orderId === 'string') entry.orderId = orderId;
  return entry;
}

export class InsufficientPoints extends Error {
  constructor(
    readonly available: number,
    readonly cost: number,
  ) {
    super(`This needs ${cost} points; ${available} are available.`);
  }
}

/** Spend points (the entry to add); never lets the spendable balance go below zero. */
export function redeem(
  available: number,
  event: EngineEvent,
  reward: { rewardId: string; cost: number; code: string },
  now: string,
): LedgerEntry {
  if (available < reward.cost) throw new InsufficientPoints(available, reward.cost);
  return { kind: 'redeem', points: -reward.cost, at: now, eventId: event.id, rewardId: reward.rewardId, code: reward.code };
}

/**
 * A refund takes back the order's points in proportion to the amount refunded.
 * The balance may go below zero when the points were already spent: that debt
 * is honest, and stops earn-redeem-refund loops.
 */
export function clawback(
  order: OrderRecord,
  refunded: number,
  event: EngineEvent,
  orderId: string,
  now: string,
): { entry?: LedgerEntry; order: OrderRecord } {
  const refundedTotal = Math.min(order.total, order.refunded + refunded);
  const owed = order.total > 0 ? Math.round((order.points * refundedTotal) / order.total) : 0;
  const points = Math.max(0, owed - order.clawedBack);
  const next: OrderRecord = { ...order, refunded: refundedTotal, clawedBack: order.clawedBack + points };
  if (points === 0) return { order: next };
  return { entry: { kind: 'clawback', points: -points, at: now, eventId: event.id, orderId }, order: next };
}

/**
 * How far back the ledger and orders are kept in full: a year, or the tier window
 * if longer. Older entries fold into one `carry` entry and older orders are
 * dropped, so a customer's record stops growing with their order count (a refund
 * of an order older than this claws back nothing).
 */
export function horizonDays(program: Program): number {
  return Math.max(365, program.tiers?.windowDays ?? 0, program.pendingDays, program.expiryDays ?? 0);
}

/** The horizon `compact` folds before: `horizonDays` before `now`. */
export const horizonOf = (program: Program, now: string) => addDays(now, -horizonDays(program));

/** The earlier of two times (ISO, UTC, milliseconds: they compare as strings); undefined counts as none. */
export const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a <= b ? a : b);

/**
 * The earliest time of an order or a ledger entry other than a carry (CustomerRecord
 * `oldestAt`): what `compact` would fold before a horizon after it. A scan without
 * copies, for records that do not carry it yet and after a rewrite.
 */
export function oldestOf(
  ledgers: readonly (readonly LedgerEntry[])[],
  orderMaps: readonly (Readonly<Record<string, OrderRecord>> | undefined)[],
): string | undefined {
  let oldest: string | undefined;
  for (const ledger of ledgers) for (const e of ledger) if (e.kind !== 'carry') oldest = earlier(oldest, e.at);
  for (const orders of orderMaps) for (const id in orders) oldest = earlier(oldest, orders[id]!.at);
  return oldest;
}

/** The ledger and orders with what is older than `horizon` folded into one carry entry (new arrays: nothing is changed in place). */
export function compact(
  ledger: readonly LedgerEntry[],
  orders: Readonly<Record<string, OrderRecord>>,
  horizon: string,
): { ledger: LedgerEntry[]; orders: Record<string, OrderRecord> } {
  const old = ledger.filter((e) => e.at < horizon);
  const oldOrders = Object.entries(orders).filter(([, o]) => o.at < horizon);
  const carry: LedgerEntry = {
    kind: 'carry',
    points: old.reduce((sum, e) => sum + e.points, 0),
    at: horizon,
    eventId: `carry:${horizon}`,
    earned: old.reduce((sum, e) => sum + (e.kind === 'carry' ? (e.earned ?? 0) : e.kind === 'earn' || e.kind === 'clawback' ? e.points : 0), 0),
    spend: old.filter((e) => e.kind === 'carry').reduce((sum, e) => sum + (e.spend ?? 0), 0) + oldOrders.reduce((sum, [, o]) => sum + o.total - o.refunded, 0),
  };
  return {
    ledger: [carry, ...ledger.filter((e) => e.at >= horizon)],
    orders: Object.fromEntries(Object.entries(orders).filter(([, o]) => o.at >= horizon)),
  };
}
