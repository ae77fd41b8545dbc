// The demo shop's loyalty program and rewards, so the storefront's <kudos-points>
// shows a tier to climb and something to spend points on within a few purchases.
import type { z } from 'zod';
import { ProgramInput, RewardInput, type Reward } from './schemas.js';
import { PROGRAM_REF, REWARDS } from './service.js';
import type { Store } from '../store/store.js';

export const DEMO_PROGRAM = ProgramInput.parse({
  earn: [
    { event: 'purchase', points: 1, per: 'total' },
    { event: 'review', points: 50 },
    // Anyone can send a share with the publishable key: one share per product per day, at most 3 a day.
    { event: 'share', points: 10, cap: { perDay: 3, target: 'productId' } },
    // The cart survey records survey_response events: answering earns a little, once per survey a day (any browser can answer).
    { event: 'survey_response', points: 20, cap: { perDay: 1, target: 'surveyId' } },
  ],
  tiers: {
    basis: 'points',
    windowDays: 365,
    levels: [
      { name: 'Bronze', min: 0 },
      { name: 'Silver', min: 100 },
      { name: 'Gold', min: 300 },
    ],
  },
});

export const DEMO_REWARDS: Record<string, RewardSpec> = {
  'five-off': { name: '€5 off', description: 'On your next order.', cost: 100, discount: { kind: 'fixed', amount: 5, currency: 'EUR' } },
  'free-beans': {
    name: 'Free bag of beans',
    description: 'A 250 g bag of the roast of the week.',
    cost: 250,
    discount: { kind: 'fixed', amount: 24, currency: 'EUR' },
  },
};

type RewardSpec = z.input<typeof RewardInput>;

/** Writes the program and rewards unless the shop already has its own (seeding twice changes nothing). */
export async function seedDemoProgram(store: Store, shopId: string, now: () => Date): Promise<void> {
  await store.updateDocuments(shopId, [PROGRAM_REF], ([existing]) => ({ values: [existing ?? DEMO_PROGRAM], result: undefined }));
  for (const [id, input] of Object.entries(DEMO_REWARDS)) {
    const reward: Reward = { id, ...RewardInput.parse(input), updatedAt: now().toISOString() };
    await store.updateDocuments(shopId, [{ collection: REWARDS, id }], ([existing]) => ({
      values: [existing ?? reward],
      result: undefined,
    }));
  }
}
