// The lookup registry spells collection names out (the stores must not import
// feature code): each must be the feature's own collection.
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../../server/email-claims/service.js';
import { COLLECTIONS as SHARE_SAVE } from '../../server/share-save/service.js';
import * as lookups from '../../server/store/lookups.js';
import { AWARDS } from '../../server/trophies/engine.js';
import { DELIVERIES } from '../../server/webhooks/outbox.js';

describe('document lookups', () => {
  it('name the collections the features write', () => {
    expect(lookups.AWARDS_BY_CUSTOMER.collection).toBe(AWARDS);
    expect(lookups.AWARDS_BY_ID.collection).toBe(AWARDS);
    expect(lookups.GROUPS_BY_MEMBER.collection).toBe(SHARE_SAVE.groups);
    expect(lookups.MEMBERSHIPS_BY_CUSTOMER.collection).toBe(SHARE_SAVE.memberships);
    expect(lookups.STOCK_BY_CUSTOMER.collection).toBe('product-stock');
    expect(lookups.CLAIMS_BY_EXPIRY.collection).toBe(CLAIMS);
    for (const due of [lookups.DELIVERIES_DUE, lookups.DELIVERIES_FINISHED, lookups.DELIVERIES_PENDING_BY_ENDPOINT]) expect(due.collection).toBe(DELIVERIES);
    const names = lookups.DOCUMENT_LOOKUPS.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('find a group by its owner and members, stock by holders and buyers, memberships by customer', () => {
    expect(lookups.GROUPS_BY_MEMBER.keys({ ownerId: 'a', members: [{ customerId: 'a' }, { customerId: 'b' }] }, 'G1')).toEqual(['a', 'b']);
    expect(lookups.STOCK_BY_CUSTOMER.keys({ holds: { t1: { customer: 'a' } }, sales: { t2: { customer: 'b' }, t3: { customer: 'a' } } }, 'p')).toEqual(['a', 'b']);
    expect(lookups.MEMBERSHIPS_BY_CUSTOMER.keys({}, 'spring/email:x/y')).toEqual(['email:x/y']);
  });
});
