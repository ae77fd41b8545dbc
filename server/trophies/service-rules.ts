// Trophies earned by rules: a trophy level with `criteria` is granted when the
// customer meets them, checked after their events are recorded. Granting goes
// through the same atomic holder check as manual awards, so a level is given at
// most once however many events race; a crash between the event and the grant is
// healed by the customer's next event.
import { nanoid } from 'nanoid';
import { randomBytes } from 'node:crypto';
import { meetsCriteria } from '../loyalty/engine/badges.js';
import { DomainError } from '../http/problem.js';
import type { Award } from '../schemas.js';
import type { Store } from '../store/store.js';
import { AWARDS, HOLDERS, TROPHIES, grantAward } from './engine.js';
import type { HolderDocument, TrophyDefinition } from './schemas.js';

/** New rule-earned trophy awards, per customer. */
export async function awardTrophiesByRules(
  store: Store,
  shopId: string,
  customerIds: readonly string[],
  now: () => Date,
): Promise<Map<string, Award[]>> {
  const awarded = new Map<string, Award[]>();
  const trophies = (await store.listDocuments<TrophyDefinition>(shopId, TROPHIES)).filter((t) =>
    t.levels.some((l) => l.criteria),
  );
  if (trophies.length === 0) return awarded;
  // Anonymous visitors ("~anon:…") have no public identity to put on a trophy.
  for (const customerId of new Set(customerIds.filter((id) => !id.startsWith('~')))) {
    const customer = await store.getCustomer(shopId, customerId);
    if (!customer) continue;
    const holder = await store.getDocument<HolderDocument>(shopId, { collection: HOLDERS, id: customerId });
    const at = now();
    for (const trophy of trophies) {
      for (const level of trophy.levels) {
        if (!level.criteria || holder?.awards.some((a) => a.trophyId === trophy.id && a.level === level.level)) continue;
        if (!meetsCriteria(customer, level.criteria, at.toISOString())) continue;
        const awardId = nanoid();
        try {
          await store.updateDocuments(
            shopId,
            [
              { collection: HOLDERS, id: customerId },
              { collection: AWARDS, id: awardId },
            ],
            (current) =>
              grantAward(current, {
                trophy,
                input: { customerId, level: level.level, reason: trophy.criteriaNarrative },
                awardId,
                salt: randomBytes(16).toString('hex'),
                at,
              }),
          );
        } catch (error) {
          // Another request granted it first: at most once is the point.
          if (error instanceof DomainError && error.status === 409) continue;
          throw error;
        }
        const list = awarded.get(customerId) ?? [];
        list.push({ kind: 'trophy', id: trophy.id, name: level.name ?? trophy.name, description: trophy.description, awardedAt: at.toISOString() });
        awarded.set(customerId, list);
      }
    }
  }
  return awarded;
}
