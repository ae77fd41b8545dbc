// The products feature's document lookups (declared with its collections in server/features.ts).
import { obj, strings } from '../store/lookups.js';
import type { DocumentLookup } from '../store/store.js';

/** Per product: its drop stock, holds and sales (the service and the eraser spell it out too). */
export const STOCK = 'product-stock';

/** Drop stock that names a customer in a hold or a sale (customer erase and export). */
export const STOCK_BY_CUSTOMER: DocumentLookup = {
  name: 'product-stock.customer',
  version: 1,
  collection: STOCK,
  keys: (stock) => {
    const s = obj(stock);
    const customers = [...Object.values(obj(s.holds)), ...Object.values(obj(s.sales))].map((x) => obj(x).customer);
    return [...new Set(strings(...customers))];
  },
};
