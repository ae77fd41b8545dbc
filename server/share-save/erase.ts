// A customer's erase (DELETE /v1/customers/:id) reaches their share-to-save groups: the
// groups keep their size and spent codes, the person leaves them. Idempotent.
import { GROUPS_BY_MEMBER, MEMBERSHIPS_BY_CUSTOMER } from './lookups.js';
import type { Store } from '../store/store.js';
import type { Group } from './engine.js';
import { COLLECTIONS as SHARE_SAVE } from './service.js';

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
