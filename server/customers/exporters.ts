// The export must reach every feature that keeps data about a customer, like the
// erase does (erasers.ts): each feature with per-customer documents of its own lists
// its exporter here, under the name its part of the export takes.
import { exportCheckins } from '../checkins/service.js';
import { exportGifts } from '../gifts/service.js';
import { exportProductBuys } from '../products/erase.js';
import type { Store } from '../store/store.js';

export type CustomerExporter = (store: Store, shopId: string, customerId: string) => Promise<unknown[]>;

export const customerExporters: Readonly<Record<string, CustomerExporter>> = {
  marketVisits: exportCheckins,
  gifts: exportGifts,
  drops: exportProductBuys,
};
