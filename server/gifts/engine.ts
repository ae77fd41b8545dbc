// Micro-gift rules, pure: who gets a gift for an order, the sticky random draw,
// the budget period, the code. No I/O; secrets, records and the clock come in.
import { createHash, createHmac } from 'node:crypto';
import type { CustomerRecord } from '../loyalty/engine/customer.js';
import { weekOf } from '../loyalty/engine/customer.js';
import type { Gift, Grant } from './schemas.js';

const DAY_MS = 86_400_000;

/** The budget bucket an instant falls in. */
export function periodKey(period: NonNullable<Gift['budget']>['period'], at: string): string {
  switch (period) {
    case 'day':
      return at.slice(0, 10);
    case 'week':
      return `w${weekOf(at)}`;
    case 'month':
      return at.slice(0, 7);
    case 'total':
      return 'total';
  }
}

const keyed = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest();

/**
 * The random share's draw for an order, in [0, 1): a keyed hash of shop, gift and
 * order, so the same order always draws the same (a replay or retry never re-rolls)
 * and nobody without the shop's secret can tell which order ids would win.
 */
export function drawFor(secret: string, shopId: string, giftId: string, orderId: string): number {
  return keyed(secret, `kudos-gift-draw\n${shopId}\n${giftId}\n${orderId}`).readUIntBE(0, 6) / 2 ** 48;
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The add-on code of a grant: derived, so a retried grant gives the same code; 50 bits nobody can guess. */
export function giftCode(secret: string, giftId: string, grantKey: string, prefix: string): string {
  const bytes = keyed(secret, `kudos-gift-code\n${giftId}\n${grantKey}`);
  return prefix + [...bytes.subarray(0, 10)].map((b) => CODE_ALPHABET[b % 32]).join('');
}

/** The customer's orders, oldest first: where an order stands ("first", "third"). */
export function orderPosition(customer: CustomerRecord | undefined, orderId: string): number | undefined {
  const orders = Object.entries(customer?.orders ?? {}).sort(([a, x], [b, y]) => x.at.localeCompare(y.at) || a.localeCompare(b));
  const i = orders.findIndex(([id]) => id === orderId);
  if (i < 0) return undefined;
  // Orders older than the retention period are folded into a carried-forward entry: they still came first.
  const folded = customer?.ledger?.some((e) => e.kind === 'carry' && (e.spend ?? 0) > 0) ? 1 : 0;
  return i + folded;
}

export interface OrderFacts {
  orderId: string;
  occurredAt: string;
  /** 0 for the customer's first order. */
  position: number | undefined;
  /** The customer's market check-ins. */
  visits: readonly { checkinId: string; at: string }[];
  /** The random share's draw for this order. */
  draw: number;
}

export function eligible(gift: Gift, order: OrderFacts, now: string): boolean {
  if (!gift.active) return false;
  const rule = gift.rule;
  switch (rule.kind) {
    case 'firstOrder':
      return order.position === 0;
    case 'nthOrder':
      return order.position === rule.n - 1;
    case 'randomShare':
      return order.draw < rule.percent / 100;
    case 'afterCheckin': {
      const t = Date.parse(order.occurredAt);
      return order.visits.some(
        (v) => (!rule.checkinId || v.checkinId === rule.checkinId) && Date.parse(v.at) <= t && t - Date.parse(v.at) <= rule.withinDays * DAY_MS && v.at <= now,
      );
    }
  }
}

/** A random share is per order; every other rule gives a customer the gift once. */
export function grantKey(gift: Gift, customerId: string, orderId: string): string {
  const subject = gift.rule.kind === 'randomShare' ? `o:${orderId}` : `c:${customerId}`;
  return createHash('sha256').update(subject).digest('base64url').slice(0, 22);
}

export interface Budget {
  count: number;
}

export class BudgetSpent extends Error {}

/**
 * Grant once, within budget: an existing grant is returned as is (`fresh: false`);
 * a full budget throws BudgetSpent so nothing changes.
 */
export function grant(
  existing: Grant | undefined,
  budget: Budget | undefined,
  gift: Gift,
  input: { customerId: string; orderId: string; period: string; code?: string; at: string },
): { grant: Grant; budget: Budget | undefined; fresh: boolean } {
  if (existing) return { grant: existing, budget, fresh: false };
  const count = budget?.count ?? 0;
  if (gift.budget && count >= gift.budget.max) throw new BudgetSpent();
  const g: Grant = {
    giftId: gift.id,
    name: gift.name,
    ...(gift.description && { description: gift.description }),
    customerId: input.customerId,
    orderId: input.orderId,
    kind: gift.gift.kind,
    ...(gift.gift.kind === 'code' ? { code: input.code } : { points: gift.gift.points }),
    grantedAt: input.at,
    period: input.period,
  };
  return { grant: g, budget: { count: count + 1 }, fresh: true };
}
