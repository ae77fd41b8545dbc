// The demo shop `npm start` creates on first run, so a new user sees badges
// unlock within a minute of cloning.
import type { BadgeInput } from './loyalty/schemas.js';
import { newShop } from './shops.js';
import type { Shop, Store } from './store/store.js';
import { seedDemoTrophies } from './trophies/seed.js';
import { seedDemoSurvey } from './surveys/seed.js';
import { seedDemoCampaign } from './share-save/seed.js';
import { seedDemoProgram } from './loyalty/seed.js';
import { seedDemoHistory } from './metrics/seed.js';
import { seedDemoPopup } from './checkins/seed.js';
import { seedDemoGift } from './gifts/seed.js';

export const DEMO_BADGES: Record<string, BadgeInput> = {
  'first-order': {
    name: 'First order',
    description: 'Thanks for your first order!',
    icon: '🎉',
    criteria: { event: 'purchase', count: 1 },
    active: true,
  },
  regular: {
    name: 'Regular',
    description: 'Three orders: you are one of us.',
    icon: '☕',
    criteria: { event: 'purchase', count: 3 },
    active: true,
  },
  connoisseur: {
    name: 'Connoisseur',
    description: 'Spent €100 on good coffee.',
    icon: '💎',
    criteria: { event: 'purchase', sumOf: 'total', atLeast: 100 },
    active: true,
  },
  explorer: {
    name: 'Explorer',
    description: 'Looked at three of our coffees.',
    icon: '🔎',
    criteria: { event: 'product_view', count: 3 },
    active: true,
  },
};

/** Returns the demo shop, creating it and its badges the first time. */
export async function seedDemoShop(store: Store, now: () => Date): Promise<Shop> {
  const existing = (await store.listShops()).find((s) => s.demo);
  if (existing) return existing;
  const { shop } = newShop({ name: 'Demo Coffee Roasters', origins: [], demo: true }, now());
  await store.createShop(shop);
  const at = now().toISOString();
  for (const [id, badge] of Object.entries(DEMO_BADGES)) {
    await store.putBadge(shop.id, { id, ...badge, createdAt: at, updatedAt: at });
  }
  await seedDemoTrophies(store, shop.id, now);
  await seedDemoSurvey(store, shop.id, now);
  await seedDemoCampaign(store, shop.id, now);
  await seedDemoProgram(store, shop.id, now);
  await seedDemoHistory(store, shop.id, now);
  await seedDemoPopup(store, shop.id, now);
  await seedDemoGift(store, shop.id, now);
  return shop;
}
