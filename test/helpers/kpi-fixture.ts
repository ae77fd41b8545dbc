// A randomized dated history and periods for comparing the KPIs' fast paths (lowdb
// roll-ups, PostgreSQL roll-up tables) with the reference engine over every record.
import { REDEMPTION_EVENT } from '../../server/loyalty/engine/customer.js';
import type { Period } from '../../server/metrics/engine.js';
import { prng } from '../../server/metrics/seed.js';
import type { RecordedEvent } from '../../server/store/store.js';

export const NOW = new Date('2026-11-20T15:30:00.000Z');
export const DAY = 86_400_000;
export const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const SOURCES = ['directory', 'group', 'loyalty', 'market', 'trophy', 'badge', undefined, undefined, undefined] as const;

/**
 * Purchases at random instants of the last 150 days (many customers on the same
 * days, some at the same instant, free orders), full and partial refunds,
 * redemptions whose code a later order spends, sent in a shuffled order so older
 * orders arrive after newer ones.
 */
export function randomHistory(seed: number, prefix: string, customers: number): RecordedEvent[] {
  const random = prng(seed);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const events: RecordedEvent[] = [];
  for (let n = 0; n < customers * 3; n++) {
    const customerId = `${prefix}c${Math.floor(random() * customers)}`;
    // Whole days, half days and odd instants: period edges fall between and on them.
    const t = NOW.getTime() - Math.floor(random() * 150 * 4) * (DAY / 4) - (random() < 0.3 ? Math.floor(random() * DAY) : 0);
    const total = random() < 0.08 ? 0 : 5 + Math.floor(random() * 80);
    const src = pick(SOURCES);
    const properties: Record<string, string | number> = { orderId: `${prefix}o${n}`, total, currency: 'EUR', ...(src && { kudos_src: src }) };
    if (random() < 0.1) {
      const code = `${prefix}R${n}`;
      events.push({ id: `${prefix}redeem-${n}`, type: REDEMPTION_EVENT, customerId, occurredAt: new Date(t - 3_600_000).toISOString(), properties: { rewardId: 'five-off', cost: 0, code } });
      properties.discountCode = code;
    }
    events.push({ id: `${prefix}p${n}`, type: 'purchase', customerId, occurredAt: new Date(t).toISOString(), properties });
    if (random() < 0.2 && total > 0) {
      const amount = random() < 0.5 ? total : Math.round(total / 3);
      events.push({ id: `${prefix}r${n}`, type: 'refund', customerId, occurredAt: new Date(Math.min(t + random() * 10 * DAY, NOW.getTime())).toISOString(), properties: { orderId: `${prefix}o${n}`, amount } });
    }
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return events;
}

/** Whole weeks, mid-week edges, a period ending before now, pending cohorts, and random spans. */
export function periods(seed: number): Period[] {
  const random = prng(seed);
  const fixed: Period[] = [
    { from: ago(84), to: NOW, now: NOW },
    { from: new Date('2026-10-01T12:00:00.000Z'), to: new Date('2026-11-12T06:00:00.000Z'), now: NOW },
    { from: ago(60), to: ago(45), now: NOW },
    { from: ago(30), to: ago(2), now: ago(1) },
    { from: ago(200), to: NOW, now: NOW },
    // Day aggregates (server/metrics/daily.ts): edges at midnight, edges on an order's very
    // instant (orders fall on quarter days from NOW), a period inside one day, and a `now`
    // whose 30 days back cut a day (pending cohorts).
    { from: new Date('2026-09-01T00:00:00.000Z'), to: new Date('2026-11-16T00:00:00.000Z'), now: NOW },
    { from: ago(100.25), to: ago(70.5), now: NOW },
    { from: ago(40), to: new Date(ago(40).getTime() + 7 * 3_600_000), now: NOW },
    { from: ago(90), to: ago(3), now: new Date(NOW.getTime() - 3 * DAY - 5 * 3_600_000) },
  ];
  for (let i = 0; i < 6; i++) {
    const from = NOW.getTime() - Math.floor(random() * 160 * DAY);
    const to = Math.min(from + 1 + Math.floor(random() * 90 * DAY), NOW.getTime());
    fixed.push({ from: new Date(from), to: new Date(to), now: NOW });
  }
  return fixed;
}

