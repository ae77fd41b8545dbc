// The demo shop's share-to-save campaign: bring one friend for 10 %, two for 15 %.
import type { Store } from '../store/store.js';
import { CampaignInput } from './schemas.js';
import { putCampaign, secureRandom } from './service.js';

export const DEMO_CAMPAIGN = CampaignInput.parse({
  name: 'Share & save on Ethiopia Yirgacheffe',
  scope: { kind: 'product', productId: 'ethiopia-yirgacheffe' },
  tiers: [
    { members: 2, percentOff: 10 },
    { members: 3, percentOff: 15 },
  ],
  windowHours: 24,
  maxMembers: 6,
  codes: { issuer: 'kudos', prefix: 'DUO-' },
});

export async function seedDemoCampaign(store: Store, shopId: string, now: () => Date): Promise<void> {
  await putCampaign({ store, now, random: secureRandom }, shopId, 'duo', DEMO_CAMPAIGN);
}
