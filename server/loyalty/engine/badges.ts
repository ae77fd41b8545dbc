// Badge rules: when criteria hold, and granting or revoking at most once.
import type { Award } from '../../schemas.js';
import type { BadgeCriteria, BadgeDefinition } from '../schemas.js';
import { statsKey, weekOf, type CustomerRecord, type EngineEvent } from './customer.js';

/** A badge definition with how many customers hold it (the store counts), for caps. */
export type CountedBadge = BadgeDefinition & { awardedCount?: number };

export function progressOf(
  customer: CustomerRecord,
  criteria: BadgeCriteria,
  now: string,
): { current: number; target: number } {
  const stats = customer.stats[statsKey(criteria)];
  if (criteria.count !== undefined) return { current: stats?.count ?? 0, target: criteria.count };
  if (criteria.first) return { current: Math.min(stats?.count ?? 0, 1), target: 1 };
  if (criteria.streakWeeks !== undefined) {
    // A streak whose last week is before last week is broken.
    const live = stats?.streak && weekOf(now) - stats.streak.lastWeek <= 1 ? stats.streak.weeks : 0;
    return { current: live, target: criteria.streakWeeks };
  }
  return { current: stats?.sums[criteria.sumOf!] ?? 0, target: criteria.atLeast! };
}

export function meetsCriteria(customer: CustomerRecord, criteria: BadgeCriteria, now: string): boolean {
  const { current, target } = progressOf(customer, criteria, now);
  return current >= target;
}

const awardOf = (badge: BadgeDefinition, at: string): Award => ({
  kind: 'badge',
  id: badge.id,
  name: badge.name,
  description: badge.description,
  icon: badge.icon,
  awardedAt: at,
});

/** Grant every badge whose criteria now hold and that the customer does not hold yet. */
export function grantBadges(
  customer: CustomerRecord,
  definitions: readonly CountedBadge[],
  event: EngineEvent,
  now: string,
): { badges: CustomerRecord['badges']; awards: Award[] } {
  const badges = { ...customer.badges };
  const awards: Award[] = [];
  for (const badge of definitions) {
    if (badge.active === false || badges[badge.id] || !meetsCriteria(customer, badge.criteria, event.occurredAt ?? now)) continue;
    if (badge.maxAwards !== undefined && (badge.awardedCount ?? 0) >= badge.maxAwards) continue;
    badges[badge.id] = {
      name: badge.name,
      ...(badge.description !== undefined && { description: badge.description }),
      ...(badge.icon !== undefined && { icon: badge.icon }),
      awardedAt: now,
      eventId: event.id,
    };
    awards.push(awardOf(badge, now));
  }
  // Nothing granted: the same object, so a store that logs changed fields knows badges did not change.
  return { badges: awards.length > 0 ? badges : customer.badges, awards };
}

/** After a refund: take back the badges set to "revoke" whose criteria no longer hold. */
export function revokeBadges(
  customer: CustomerRecord,
  definitions: readonly BadgeDefinition[],
  now: string,
): { badges: CustomerRecord['badges']; revocations: Award[] } {
  const badges = { ...customer.badges };
  const revocations: Award[] = [];
  for (const badge of definitions) {
    if (!badges[badge.id] || badge.onRefund !== 'revoke' || meetsCriteria(customer, badge.criteria, now)) continue;
    delete badges[badge.id];
    revocations.push(awardOf(badge, now));
  }
  return { badges: revocations.length > 0 ? badges : customer.badges, revocations };
}
