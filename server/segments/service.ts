// Reads what the segments need (products, their stock and funnels, first gifts, customers),
// each from the feature that keeps it, and hands it to the pure engine.
import { firstGiftTimes } from '../gifts/ports.js';
import { allCustomers } from '../store/all-customers.js';
import { listFunnels, listProducts, listStockStates } from '../products/ports.js';
import type { Store } from '../store/store.js';
import { computeSegments, type Segments } from './engine.js';

export async function shopSegments(store: Store, shopId: string, period: { from: Date; to: Date }): Promise<Segments> {
  const [products, stocks, funnels, gifted, customers] = await Promise.all([
    listProducts(store, shopId),
    listStockStates(store, shopId),
    listFunnels(store, shopId),
    firstGiftTimes(store, shopId),
    allCustomers(store, shopId),
  ]);
  const sales = stocks.flatMap((s) => Object.entries(s.sales).map(([token, sale]) => ({ productId: token.split('.')[0]!, customer: sale.customer, orderId: sale.orderId })));
  return computeSegments({ products, funnels, sales, customers, gifted }, period);
}
