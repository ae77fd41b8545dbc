// A customer's share-to-save groups: read for their export (GET /v1/customers/:id/export),
// and their erase (DELETE /v1/customers/:id), where the groups keep their size and spent
// codes and the person leaves them. Idempotent.
import { GROUPS_BY_MEMBER, MEMBERSHIPS_BY_CUSTOMER } from './lookups.js';
import type { Store } from '../store/store.js';
import type { Group } from './engine.js';
import { COLLECTIONS as SHARE_SAVE } from './service.js';

/** The groups a customer is a member of (owners are members too; the lookup also finds a group by its owner alone). */
export async function memberGroups(store: Store, shopId: string, customerId: string): Promise<Group[]> {
  const found = await store.findDocuments<Group>(GROUPS_BY_MEMBER, { shopId, equals: customerId });
  return found.map((f) => f.value).filter((g) => g.members.some((m) => m.customerId === customerId));
}

/** Placeholder for an erased member: unique within the group, says nothing about who it was. */
const erasedId = (index: number) => `erased-${index}`;

/** Group memberships are anonymised (the group keeps its size and spent codes); per-campaign membership lists go. */
export async function eraseGroupMemberships(store: Store, shopId: string, customerId: string): Promise<void> {
  const groups = (await store.findDocuments<Group>(GROUPS_BY_MEMBER, { shopId, equals: customerId })).map((f) => f.value);
  for (const g of groups) {
    await store.updateDocuments(shopId, [{ collection: SHARE_SAVE.groups, id: g.code }], ([current]) => {
      const group = current as Group | undefined;
      if (!group) return { values: [current], result: null };
      const index = group.members.findIndex((m) => m.customerId === customerId);
      const replacement = erasedId(index < 0 ? group.members.length : index);
      const members = group.members.map((m) => (m.customerId === customerId ? { ...m, customerId: replacement } : m));
      return { values: [{ ...group, members, ownerId: group.ownerId === customerId ? replacement : group.ownerId }], result: null };
    });
  }
  const memberships = await store.findDocuments(MEMBERSHIPS_BY_CUSTOMER, { shopId, equals: customerId });
  const refs = memberships.map((m) => ({ collection: SHARE_SAVE.memberships, id: m.id }));
  if (refs.length) await store.updateDocuments(shopId, refs, (current) => ({ values: current.map(() => undefined), result: null }));
}
