// Reads what the segments need, and counts each drop's funnel as it happens
// (views, new holds, holds turned into sales), per product and UTC day.
import { firstGiftTimes } from '../gifts/ports.js';
import { allCustomers } from '../store/all-customers.js';
import type { StockState } from '../products/engine.js';
import type { Store } from '../store/store.js';
import { computeSegments, countedFunnel, type FunnelDay, type FunnelDocument, type Segments } from './engine.js';

export const FUNNELS = 'product-funnels';
/** Two years and a day: the longest KPI period. */
const MAX_FUNNEL_DAYS = 731;

export const funnelRef = (productId: string) => ({ collection: FUNNELS, id: productId });

/** The funnel document with one more `field` on the day of `at` (pure: for a caller that writes it with other documents). */
export const countedFunnelOf = (current: unknown, productId: string, at: string, field: keyof FunnelDay) =>
  countedFunnel(current as FunnelDocument | undefined, productId, at.slice(0, 10), field, MAX_FUNNEL_DAYS);

export async function countFunnel(store: Store, shopId: string, productId: string, at: string, field: keyof FunnelDay): Promise<void> {
  await store.updateDocuments(shopId, [{ collection: FUNNELS, id: productId }], ([current]) => ({
    values: [countedFunnel(current as FunnelDocument | undefined, productId, at.slice(0, 10), field, MAX_FUNNEL_DAYS)],
    result: undefined,
  }));
}

export async function shopSegments(store: Store, shopId: string, period: { from: Date; to: Date }): Promise<Segments> {
  const [products, stocks, funnels, gifted, customers] = await Promise.all([
    store.listDocuments<{ id: string; name: string }>(shopId, 'products'),
    store.listDocuments<StockState>(shopId, 'product-stock'),
    store.listDocuments<FunnelDocument>(shopId, FUNNELS),
    firstGiftTimes(store, shopId),
    allCustomers(store, shopId),
  ]);
  const sales = stocks.flatMap((s) => Object.entries(s.sales).map(([token, sale]) => ({ productId: token.split('.')[0]!, customer: sale.customer, orderId: sale.orderId })));
  return computeSegments({ products, funnels, sales, customers, gifted }, period);
}
