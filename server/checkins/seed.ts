// The demo shop's pop-up: a "Saturday market" check-in point (open for the demo
// from the first start for 60 days, every day) and the badge it grants. Its
// first-order micro-gift is gifts' own seed (server/gifts/seed.ts).
import type { Store } from '../store/store.js';
import { CheckinInput } from './schemas.js';
import { putCheckin } from './service.js';

export const DEMO_CHECKIN_ID = 'saturday-market';
const DAY_MS = 86_400_000;

export async function seedDemoPopup(store: Store, shopId: string, now: () => Date): Promise<void> {
  const at = now();
  const iso = at.toISOString();
  await store.putBadge(shopId, {
    id: 'market',
    name: 'Met us at the market',
    description: 'Said hello at our market stall.',
    icon: '🧺',
    criteria: { event: 'market_checkin', count: 1 },
    active: true,
    createdAt: iso,
    updatedAt: iso,
  });
  await putCheckin(
    store,
    now,
    shopId,
    DEMO_CHECKIN_ID,
    CheckinInput.parse({
      name: 'Saturday market',
      place: 'Market square, stall 12',
      from: new Date(at.getTime() - 3_600_000).toISOString(),
      until: new Date(at.getTime() + 60 * DAY_MS).toISOString(),
      badgeId: 'market',
      points: 10,
      consentText: 'news about our next markets and new coffees, about once a month',
    }),
  );
}
