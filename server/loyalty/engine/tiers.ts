// Tiers: the highest level whose minimum the customer reaches, by points earned
// or money spent within a rolling window.
import type { Program } from '../schemas.js';
import type { CustomerRecord } from './customer.js';
import { roundMoney } from './customer.js';

const DAY_MS = 86_400_000;

export interface TierStanding {
  basis: 'points' | 'spend';
  windowDays: number | null;
  /** Points earned (net of clawbacks) or spend (net of refunds) in the window. */
  value: number;
  current: { name: string; min: number } | null;
  next: { name: string; min: number; remaining: number } | null;
}

function valueInWindow(customer: CustomerRecord, basis: 'points' | 'spend', since: string): number {
  // History older than the compaction horizon survives as one `carry` entry; it
  // counts only for lifetime tiers (a rolling window never reaches back that far).
  const carried = since === '' ? (customer.ledger ?? []).filter((e) => e.kind === 'carry') : [];
  if (basis === 'points') {
    return (customer.ledger ?? [])
      .filter((e) => (e.kind === 'earn' || e.kind === 'clawback') && e.at >= since)
      .reduce((sum, e) => sum + e.points, carried.reduce((sum, e) => sum + (e.earned ?? 0), 0));
  }
  return roundMoney(
    Object.values(customer.orders ?? {})
      .filter((o) => o.at >= since)
      .reduce((sum, o) => sum + o.total - o.refunded, carried.reduce((sum, e) => sum + (e.spend ?? 0), 0)),
  );
}

export function tierOf(customer: CustomerRecord, program: Program, now: string): TierStanding | null {
  const tiers = program.tiers;
  if (!tiers) return null;
  const since = tiers.windowDays === null ? '' : new Date(Date.parse(now) - tiers.windowDays * DAY_MS).toISOString();
  const value = Math.max(0, valueInWindow(customer, tiers.basis, since));
  let current: TierStanding['current'] = null;
  let next: TierStanding['next'] = null;
  for (const level of tiers.levels) {
    if (value >= level.min) current = { name: level.name, min: level.min };
    else {
      next = { name: level.name, min: level.min, remaining: roundMoney(level.min - value) };
      break;
    }
  }
  return { basis: tiers.basis, windowDays: tiers.windowDays, value, current, next };
}
