// A customer in drops: exported as the units they hold or bought; erased by keeping
// their holds and sales counted (the stock must not grow back) but no longer saying whose.
import { STOCK, STOCK_BY_CUSTOMER } from './lookups.js';
import type { Store } from '../store/store.js';
import type { StockState } from './engine.js';

export const ERASED = '~erased';

export async function eraseProductBuyers(store: Store, shopId: string, customerId: string): Promise<void> {
  for (const { id } of await store.findDocuments<StockState>(STOCK_BY_CUSTOMER, { shopId, equals: customerId })) {
    await store.updateDocuments(shopId, [{ collection: STOCK, id }], ([current]) => {
      const stock = current as StockState | undefined;
      if (!stock) return { values: [current], result: undefined };
      const anonymise = <T extends { customer: string }>(map: Record<string, T>) =>
        Object.fromEntries(Object.entries(map).map(([token, x]) => [token, x.customer === customerId ? { ...x, customer: ERASED } : x]));
      return { values: [{ ...stock, holds: anonymise(stock.holds), sales: anonymise(stock.sales) }], result: undefined };
    });
  }
}

/** For the customer export: the units they hold or bought. */
export async function exportProductBuys(store: Store, shopId: string, customerId: string) {
  const buys: { productId: string; token: string; kind: 'hold' | 'sale'; at?: string; orderId?: string; expiresAt?: string }[] = [];
  for (const { id: productId, value: stock } of await store.findDocuments<StockState>(STOCK_BY_CUSTOMER, { shopId, equals: customerId })) {
    for (const [token, h] of Object.entries(stock?.holds ?? {})) {
      if (h.customer === customerId) buys.push({ productId, token, kind: 'hold', expiresAt: h.expiresAt });
    }
    for (const [token, sale] of Object.entries(stock?.sales ?? {})) {
      if (sale.customer === customerId) buys.push({ productId, token, kind: 'sale', at: sale.at, orderId: sale.orderId });
    }
  }
  return buys;
}
