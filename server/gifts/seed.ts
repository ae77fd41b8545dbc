// The demo shop's micro-gift: a sample bag with the first order (within a daily budget),
// beside the demo's market check-in (server/checkins/seed.ts).
import type { Store } from '../store/store.js';
import { GiftInput } from './schemas.js';
import { putGift } from './service.js';

export async function seedDemoGift(store: Store, shopId: string, now: () => Date): Promise<void> {
  await putGift(
    store,
    now,
    shopId,
    'first-order-sample',
    GiftInput.parse({
      name: 'A free sample bag',
      description: 'Packed with your first order',
      gift: { kind: 'code', prefix: 'SAMPLE-' },
      rule: { kind: 'firstOrder' },
      budget: { max: 100, period: 'day' },
    }),
  );
}
