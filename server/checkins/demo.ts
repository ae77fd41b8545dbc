// The URL `npm start` prints for the demo shop's market check-in (today's token).
import { derivationSecretOf } from '../access/secrets.js';
import type { Shop, Store } from '../store/store.js';
import { printDay } from './engine.js';
import { checkinUrl } from './routes.js';
import type { CheckinPoint } from './schemas.js';
import { pointRef } from './service.js';
import { DEMO_CHECKIN_ID } from './seed.js';

export async function demoCheckinUrl(store: Store, shop: Shop, base: string, now = new Date()): Promise<string | undefined> {
  const point = await store.getDocument<CheckinPoint>(shop.id, pointRef(DEMO_CHECKIN_ID));
  if (!point) return undefined;
  return checkinUrl(base.replace(/\/+$/, ''), derivationSecretOf(shop), shop.id, point.id, printDay(point, now));
}
