// Customer erase for pop-ups and micro-gifts: the market visits (with the email
// and consent they hold) and the gifts granted.
import type { Store } from '../store/store.js';
import { eraseCheckins } from '../checkins/service.js';
import { eraseGifts } from './service.js';

export async function erasePopups(store: Store, shopId: string, customerId: string): Promise<void> {
  await eraseCheckins(store, shopId, customerId);
  await eraseGifts(store, shopId, customerId);
}
