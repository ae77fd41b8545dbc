// A demo history for the console's KPI charts: ten weeks of customers, purchases
// (some attributed to a directory, a market stall, a group or a reward code),
// refunds, NPS answers and share-to-save groups. Deterministic (a seeded PRNG,
// times relative to `now`) and quick: one batch of events, one commit per feature.
import { recordSkuSales, setStockLevels } from '../forecast/ports.js';
import { applyEvent } from '../loyalty/engine/apply.js';
import { REDEMPTION_EVENT } from '../loyalty/engine/customer.js';
import { programOf } from '../loyalty/ports.js';
import type { Group } from '../share-save/engine.js';
import { putGroupsIfAbsent } from '../share-save/ports.js';
import type { Decide, RecordedEvent, Store } from '../store/store.js';
import { putAnsweredSurvey } from '../surveys/ports.js';
import { SurveyInput, type SurveyDefinition } from '../surveys/schemas.js';

const DAY_MS = 86_400_000;

export const DELIVERY_SURVEY = SurveyInput.parse({
  question: {
    en: 'How likely are you to recommend us after this delivery?',
    fr: 'Après cette livraison, nous recommanderiez-vous ?',
    de: 'Würden Sie uns nach dieser Lieferung weiterempfehlen?',
  },
  placement: 'post-purchase',
  samplePercent: 100,
  recontactDays: 30,
  maxDisplays: 2,
});
export const DEMO_HISTORY_WEEKS = 12;

/** mulberry32: small, seeded, good enough for demo data and test fixtures. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo's SKUs and their stock today: some inside the default 14–60 stock days, some not. */
const DEMO_SKUS = [
  { sku: 'BEANS-ETH', onHand: 12 },
  { sku: 'BEANS-COL', onHand: 3 },
  { sku: 'MUG-SAGE', onHand: 40 },
  { sku: 'FILTER-V60', onHand: 400 },
];

/** Seeds once: a shop that already has customers keeps its own history. */
export async function seedDemoHistory(store: Store, shopId: string, now: () => Date): Promise<void> {
  if ((await store.listCustomers(shopId, { limit: 1 })).length > 0) return;
  const random = prng(7);
  const end = now().getTime();
  const start = end - DEMO_HISTORY_WEEKS * 7 * DAY_MS;
  const iso = (t: number) => new Date(Math.min(t, end - 60_000)).toISOString();
  const events: RecordedEvent[] = [];
  const groups: Group[] = [];
  const answers: { customerId: string; score: number; at: string }[] = [];
  const sources = ['directory', 'market', null, null, null] as const;
  let order = 0;
  const buy = (customerId: string, t: number, total: number, extra: Record<string, string> = {}) => {
    const orderId = `seed-${++order}`;
    // Line items from a small catalogue, by order number (no draw: the seeded figures stay what they were).
    const items = `${DEMO_SKUS[order % DEMO_SKUS.length]!.sku}*${1 + (order % 3)}`;
    events.push({ id: `seed-purchase-${order}`, type: 'purchase', customerId, occurredAt: iso(t), properties: { orderId, total, currency: 'EUR', items, ...extra } });
    return orderId;
  };

  for (let i = 0; i < 48; i++) {
    const customerId = `demo-${String(i + 1).padStart(2, '0')}`;
    // More new customers in later weeks: the shop is growing.
    let t = start + Math.sqrt(random()) * (end - start - 2 * DAY_MS);
    const src = sources[Math.floor(random() * sources.length)];
    const firstTotal = 12 + Math.round(random() * 40);
    const first = buy(customerId, t, firstTotal, src ? { kudos_src: src, kudos_ref: src === 'directory' ? 'https://local-shops.example' : 'saturday-market' } : {});
    const firstRefunded = random() < 0.15;
    if (firstRefunded) {
      events.push({ id: `seed-refund-${order}`, type: 'refund', customerId, occurredAt: iso(t + DAY_MS), properties: { orderId: first, amount: firstTotal } });
    }
    let visits = Math.floor(random() * 4);
    // Spendable points so far (a point per euro), never counted high: a redemption never fails.
    let points = firstRefunded ? 0 : firstTotal;
    const firstAt = t;
    if (random() < 0.6) {
      // A review earns 50 points (demo program), which brings rewards within reach.
      events.push({ id: `seed-review-${i}`, type: 'review', customerId, occurredAt: iso(t + 2 * DAY_MS), properties: { rating: 5 } });
      points += 50;
    }
    while (visits-- > 0) {
      t += (4 + random() * 30) * DAY_MS;
      if (t >= end) break;
      const total = 15 + Math.round(random() * 45);
      const extra: Record<string, string> = {};
      if (points >= 100 && random() < 0.8) {
        // Spend the €5 reward, then use its code on this order: a loyalty purchase.
        const code = `DEMO${order}R`;
        events.push({ id: `seed-redeem-${order}`, type: REDEMPTION_EVENT, customerId, occurredAt: iso(t - 3_600_000), properties: { rewardId: 'five-off', cost: 100, code } });
        points -= 100;
        extra.discountCode = code;
      }
      const orderId = buy(customerId, t, total, extra);
      points += total;
      if (random() < 0.1) {
        const amount = random() < 0.5 ? total : Math.round(total / 2);
        points -= amount;
        events.push({ id: `seed-refund-${order}`, type: 'refund', customerId, occurredAt: iso(t + 2 * DAY_MS), properties: { orderId, amount } });
      }
    }
    if (random() < 0.7) {
      const score = Math.min(10, Math.max(0, Math.round(7.5 + (random() - 0.35) * 6)));
      answers.push({ customerId, score, at: iso(firstAt + DAY_MS) });
    }
  }

  // Share-to-save groups: most unlock; members who came spend their code.
  for (let g = 0; g < 6; g++) {
    const t = start + ((g + 1) / 7) * (end - start);
    // Codes in the GroupCode alphabet, so /v1/groups/:code reads them.
    const code = `DEMQGRP${g + 2}AAAA`;
    const size = 1 + Math.floor(random() * 3);
    const members: Group['members'] = [];
    for (let m = 0; m < size; m++) {
      const customerId = `demo-g${g}-${m}`;
      const joinedAt = iso(t + m * 3_600_000);
      const unlocked = size >= 2;
      const member: Group['members'][number] = { customerId, joinedAt };
      if (unlocked) {
        member.discountCode = `DUO-${code}-${'ABC'[m]!.repeat(8)}`;
        member.percentOff = size >= 3 ? 15 : 10;
        if (random() < 0.8) member.usedOrderId = buy(customerId, t + (m + 2) * 3_600_000, 24, { kudos_src: 'group', kudos_ref: code, discountCode: member.discountCode });
      }
      members.push(member);
    }
    groups.push({
      code,
      campaignId: 'duo',
      productId: 'ethiopia-yirgacheffe',
      shareUrl: null,
      ownerId: members[0]!.customerId,
      createdAt: iso(t),
      expiresAt: iso(t + DAY_MS),
      tiers: [
        { members: 2, percentOff: 10 },
        { members: 3, percentOff: 15 },
      ],
      maxMembers: 6,
      members,
      tierIndex: size >= 3 ? 1 : size >= 2 ? 0 : -1,
      ...(size >= 2 && { unlockedAt: members[1]!.joinedAt }),
      settledAt: iso(t + DAY_MS),
    });
  }

  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const program = await programOf(store, shopId);
  // History is applied at the time it happened, so orders, ledgers and badges carry those dates.
  const decide: Decide = (customer, event, badges) => applyEvent(customer, event.customerId, event, { badges, program }, event.occurredAt);
  const outcomes = await store.recordEvents(shopId, events, decide);
  // Forecast accuracy: units per SKU and day from those orders, and today's stock of each.
  await recordSkuSales(store, now, shopId, events, outcomes);
  await setStockLevels(store, shopId, DEMO_SKUS.map(({ sku, onHand }) => ({ sku, onHand, at: new Date(end - 60_000).toISOString() })));

  await putGroupsIfAbsent(store, shopId, groups);

  // NPS answers to a post-purchase survey (the storefront's cart survey starts
  // clean), tallied as its routes would have.
  // Dated now, after the cart survey, so "the shop's survey" (console Install tab) stays the cart one.
  const at = new Date(end).toISOString();
  const survey: SurveyDefinition = { id: 'delivery', ...DELIVERY_SURVEY, createdAt: at, updatedAt: at };
  await putAnsweredSurvey(store, shopId, survey, answers);
}
