// The rules engine for badges: pure functions over a customer's rolled-up state
// and one event. No I/O, no clock, no randomness: callers pass `now`.
import type { Award, BadgeCriteria, BadgeDefinition, CustomerState } from '../schemas.js';

/** Per event type: how many were seen and the running sum of each numeric property. */
export interface EventStats {
  count: number;
  sums: Record<string, number>;
}

export interface EarnedBadgeRecord {
  name: string;
  description?: string;
  icon?: string;
  awardedAt: string;
  eventId: string;
}

/**
 * What the store keeps per customer. Events are rolled up into stats instead of
 * being kept raw, so the data file grows with customers, not with traffic.
 */
export interface CustomerRecord {
  customerId: string;
  createdAt: string;
  updatedAt: string;
  stats: Record<string, EventStats>;
  badges: Record<string, EarnedBadgeRecord>;
}

export interface EngineEvent {
  id: string;
  type: string;
  properties?: Record<string, string | number | boolean | null>;
}

export interface Decision {
  customer: CustomerRecord;
  awards: Award[];
}

export function newCustomer(customerId: string, now: string): CustomerRecord {
  return { customerId, createdAt: now, updatedAt: now, stats: {}, badges: {} };
}

function addToStats(stats: EventStats | undefined, properties: EngineEvent['properties']): EventStats {
  const sums = { ...stats?.sums };
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (typeof value === 'number') sums[key] = roundMoney((sums[key] ?? 0) + value);
  }
  return { count: (stats?.count ?? 0) + 1, sums };
}

// Sums are mostly money; keep them to a cent so 0.1 + 0.2 style drift never
// decides whether a badge is earned.
const roundMoney = (n: number) => Math.round(n * 100) / 100;

export function progressOf(customer: CustomerRecord, criteria: BadgeCriteria): { current: number; target: number } {
  const stats = customer.stats[criteria.event];
  if (criteria.count !== undefined) return { current: stats?.count ?? 0, target: criteria.count };
  return { current: stats?.sums[criteria.sumOf!] ?? 0, target: criteria.atLeast! };
}

export function meetsCriteria(customer: CustomerRecord, criteria: BadgeCriteria): boolean {
  const { current, target } = progressOf(customer, criteria);
  return current >= target;
}

/** Apply one event: roll it into the stats and grant every badge newly earned, each at most once. */
export function applyEvent(
  existing: CustomerRecord | undefined,
  customerId: string,
  event: EngineEvent,
  definitions: readonly BadgeDefinition[],
  now: string,
): Decision {
  const customer = existing ?? newCustomer(customerId, now);
  const next: CustomerRecord = {
    ...customer,
    updatedAt: now,
    stats: { ...customer.stats, [event.type]: addToStats(customer.stats[event.type], event.properties) },
    badges: { ...customer.badges },
  };
  const awards: Award[] = [];
  for (const badge of definitions) {
    if (next.badges[badge.id] || !meetsCriteria(next, badge.criteria)) continue;
    next.badges[badge.id] = {
      name: badge.name,
      ...(badge.description !== undefined && { description: badge.description }),
      ...(badge.icon !== undefined && { icon: badge.icon }),
      awardedAt: now,
      eventId: event.id,
    };
    awards.push({ kind: 'badge', id: badge.id, name: badge.name, description: badge.description, icon: badge.icon, awardedAt: now });
  }
  return { customer: next, awards };
}

/** What a shopper (or the shop) sees: earned badges, then locked ones with progress. */
export function customerView(
  customerId: string,
  customer: CustomerRecord | undefined,
  definitions: readonly BadgeDefinition[],
): CustomerState {
  const record = customer ?? newCustomer(customerId, '');
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
    .filter((d) => !record.badges[d.id])
    .map((d) => {
      const { current, target } = progressOf(record, d.criteria);
      return {
        id: d.id,
        name: d.name,
        description: d.description,
        icon: d.icon,
        progress: {
          current: Math.min(current, target),
          target,
          event: d.criteria.event,
          ...(d.criteria.sumOf !== undefined && { property: d.criteria.sumOf }),
        },
      };
    });
  return { customerId, points: 0, tier: null, badges, lockedBadges, trophies: [] };
}
