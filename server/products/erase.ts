// Erasing a customer from drops: their holds and sales stay counted (the stock
// must not grow back), but no longer say whose they were.
import type { Store } from '../store/store.js';
import type { StockState } from './engine.js';
import type { Product } from './schemas.js';

export const ERASED = '~erased';

export async function eraseProductBuyers(store: Store, shopId: string, customerId: string): Promise<void> {
  for (const product of await store.listDocuments<Product>(shopId, 'products')) {
    await store.updateDocuments(shopId, [{ collection: 'product-stock', id: product.id }], ([current]) => {
      const stock = current as StockState | undefined;
      if (!stock) return { values: [current], result: undefined };
      const anonymise = <T extends { customer: string }>(map: Record<string, T>) =>
        Object.fromEntries(Object.entries(map).map(([token, x]) => [token, x.customer === customerId ? { ...x, customer: ERASED } : x]));
      return { values: [{ ...stock, holds: anonymise(stock.holds), sales: anonymise(stock.sales) }], result: undefined };
    });
  }
}
