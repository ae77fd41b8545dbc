// The demo shop's trophy, so the storefront's trophy case has something to show.
import type { Store } from '../store/store.js';
import { TROPHIES, trophyDefinition } from './engine.js';
import type { TrophyInput } from './schemas.js';

export const DEMO_TROPHY_ID = 'community-roaster';

export const DEMO_TROPHIES: Record<string, TrophyInput> = {
  [DEMO_TROPHY_ID]: {
    name: 'Community roaster',
    description: 'For coffee lovers who help other coffee lovers.',
    criteriaNarrative: 'Awarded by the shop for helping other coffee lovers: brewing tips, honest reviews, answers in our forum.',
    levels: [
      { level: 'bronze', name: 'Bronze', description: 'A first helping hand.' },
      { level: 'silver', name: 'Silver', description: 'A regular voice of the community.' },
      { level: 'gold', name: 'Gold', description: 'A pillar of the community.' },
    ],
  },
};

export async function seedDemoTrophies(store: Store, shopId: string, now: () => Date): Promise<void> {
  for (const [id, input] of Object.entries(DEMO_TROPHIES)) {
    await store.updateDocuments(shopId, [{ collection: TROPHIES, id }], ([existing]) => ({
      values: [existing ?? trophyDefinition(id, input, undefined, now())],
      result: undefined,
    }));
  }
}
