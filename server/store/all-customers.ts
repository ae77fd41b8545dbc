// Every customer record of a shop (the store's own records, not a feature's documents),
// read a page at a time so no store is asked for an unbounded list at once. For the
// readers that need them all: the KPIs' reference path and the segments.
import type { CustomerRecord } from '../loyalty/engine/customer.js';
import type { Store } from './store.js';

const PAGE = 1000;

export async function allCustomers(store: Store, shopId: string): Promise<CustomerRecord[]> {
  const all: CustomerRecord[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listCustomers(shopId, { after, limit: PAGE });
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1]!.customerId;
  }
}
