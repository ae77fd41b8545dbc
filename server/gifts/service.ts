// Micro-gifts on top of the store. A grant is one atomic `updateDocuments` over
// the grant, the period's budget and the customer's list, so a budget of N gives
// exactly N gifts however many orders arrive at once, and an order replayed never
// gives twice. The grant then becomes a `gift.granted` event (webhooks, KPIs,
// badges) and, for bonus points, a points event.
import { putDefinition } from '../store/put-definition.js';
import { derivationSecretOf } from '../access/secrets.js';
import { BONUS_EVENT } from '../loyalty/engine/apply.js';
import { problems } from '../http/problem.js';
import { recordEvents } from '../events/record-events.js';
import type { Award } from '../schemas.js';
import type { DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { customerVisits } from '../checkins/ports.js';
import { BudgetSpent, drawFor, eligible, giftCode, grant, grantKey, orderPosition, periodKey, type Budget } from './engine.js';
import type { Gift, GiftInput, Grant } from './schemas.js';

export const GIFT_EVENT = 'gift.granted';

export const COLLECTIONS = { gifts: 'gifts', grants: 'giftGrants', budgets: 'giftBudgets', byCustomer: 'giftsByCustomer' };

const giftRef = (id: string): DocumentRef => ({ collection: COLLECTIONS.gifts, id });
const grantRef = (id: string): DocumentRef => ({ collection: COLLECTIONS.grants, id });
const budgetRef = (giftId: string, period: string): DocumentRef => ({ collection: COLLECTIONS.budgets, id: `${giftId}/${period}` });
const customerGiftsRef = (customerId: string): DocumentRef => ({ collection: COLLECTIONS.byCustomer, id: customerId });

interface CustomerGifts {
  /** Grant document ids, oldest first. */
  grants: string[];
}

/** Most recent grants a customer state lists. */
const LISTED = 20;

export async function putGift(store: Store, now: () => Date, shopId: string, id: string, input: GiftInput) {
  const { value: gift, created } = await putDefinition<GiftInput>(store, now, shopId, giftRef(id), input);
  return { gift: gift as Gift, created };
}

export async function getGift(store: Store, shopId: string, id: string): Promise<Gift> {
  const gift = await store.getDocument<Gift>(shopId, giftRef(id));
  if (!gift) throw problems.notFound(`No gift "${id}" in this shop.`);
  return gift;
}

/** Budget used in the current period, for the shop's view of a gift. */
export async function giftUsage(store: Store, now: () => Date, shopId: string, gift: Gift) {
  const period = periodKey(gift.budget?.period ?? 'total', now().toISOString());
  const budget = await store.getDocument<Budget>(shopId, budgetRef(gift.id, period));
  return { period, granted: budget?.count ?? 0, ...(gift.budget && { remaining: Math.max(0, gift.budget.max - (budget?.count ?? 0)) }) };
}

export const giftAward = (g: Grant): Award => ({
  kind: 'gift',
  id: g.giftId,
  name: g.name,
  ...(g.description && { description: g.description }),
  icon: '🎁',
  awardedAt: g.grantedAt,
  ...(g.code && { code: g.code }),
  ...(g.points && { points: g.points }),
});

function giftEvents(g: Grant, key: string): RecordedEvent[] {
  const id = `gift:${g.giftId}:${key}`;
  const properties = { giftId: g.giftId, name: g.name, orderId: g.orderId, kind: g.kind, ...(g.code && { code: g.code }), ...(g.points && { points: g.points }) };
  return [
    { id, type: GIFT_EVENT, customerId: g.customerId, occurredAt: g.grantedAt, properties },
    ...(g.points ? [{ id: `${id}:points`, type: BONUS_EVENT, customerId: g.customerId, occurredAt: g.grantedAt, properties: { giftId: g.giftId, points: g.points } }] : []),
  ];
}

/** After purchases are stored: each active gift whose rule the order meets is granted, within budget; its award joins the purchase's result. */
export async function grantGifts(store: Store, now: () => Date, shopId: string, events: readonly RecordedEvent[], outcomes: EventOutcome[]): Promise<void> {
  const purchases = events.map((event, i) => ({ event, outcome: outcomes[i]! })).filter((x) => x.event.type === 'purchase' && x.outcome?.status === 'accepted');
  if (purchases.length === 0) return;
  const gifts = (await store.listDocuments<Gift>(shopId, COLLECTIONS.gifts)).filter((g) => g.active);
  if (gifts.length === 0) return;
  const shop = await store.getShop(shopId);
  if (!shop) return;
  for (const { event, outcome } of purchases) {
    const orderId = event.properties?.orderId;
    if (typeof orderId !== 'string') continue;
    const [customer, visits] = await Promise.all([store.getCustomer(shopId, event.customerId), customerVisits(store, shopId, event.customerId)]);
    const at = now().toISOString();
    for (const gift of gifts) {
      const facts = {
        orderId,
        occurredAt: event.occurredAt,
        position: orderPosition(customer, orderId),
        visits,
        draw: gift.rule.kind === 'randomShare' ? drawFor(derivationSecretOf(shop), shopId, gift.id, orderId) : 1,
      };
      if (!eligible(gift, facts, at)) continue;
      const key = grantKey(gift, event.customerId, orderId);
      const period = periodKey(gift.budget?.period ?? 'total', at);
      const code = gift.gift.kind === 'code' ? giftCode(derivationSecretOf(shop), gift.id, key, gift.gift.prefix) : undefined;
      const grantId = `${gift.id}/${key}`;
      let result;
      try {
        result = await store.updateDocuments(
          shopId,
          [grantRef(grantId), budgetRef(gift.id, period), customerGiftsRef(event.customerId)],
          ([existing, budget, list]) => {
            const r = grant(existing as Grant | undefined, budget as Budget | undefined, gift, { customerId: event.customerId, orderId, period, code, at });
            const grants = (list as CustomerGifts | undefined)?.grants ?? [];
            const nextList = r.fresh ? { grants: [...grants, grantId].slice(-LISTED) } : list;
            return { values: [r.grant, r.budget, nextList], result: r };
          },
        );
      } catch (error) {
        if (error instanceof BudgetSpent) continue;
        throw error;
      }
      // Granted before (this purchase's follow-ups run again after a crash): its events have fixed ids, so
      // recording them again records them only if the crash came between the grant and them.
      if (!result.fresh) {
        if (result.grant.orderId === orderId) await recordEvents(store, now, shopId, giftEvents(result.grant, key));
        continue;
      }
      await recordEvents(store, now, shopId, giftEvents(result.grant, key));
      // The surprise leads the purchase's awards; the badges it earned follow (a page celebrates them in this order).
      outcome.awards = [giftAward(result.grant), ...outcome.awards];
    }
  }
}

/** `gifts` of the customer state, newest first. */
export async function customerGifts(store: Store, shopId: string, customerId: string) {
  const list = await store.getDocument<CustomerGifts>(shopId, customerGiftsRef(customerId));
  const grants = await Promise.all((list?.grants ?? []).map((id) => store.getDocument<Grant>(shopId, grantRef(id))));
  return {
    gifts: grants
      .filter((g): g is Grant => g !== undefined)
      .reverse()
      .map((g) => ({
        id: g.giftId,
        name: g.name,
        ...(g.description && { description: g.description }),
        kind: g.kind,
        ...(g.code && { code: g.code }),
        ...(g.points && { points: g.points }),
        orderId: g.orderId,
        grantedAt: g.grantedAt,
      })),
  };
}

/** Erase: the customer's grants and their list go; the budget counters (numbers only) stay, so an erase does not refill a budget. */
export async function eraseGifts(store: Store, shopId: string, customerId: string): Promise<void> {
  const list = await store.getDocument<CustomerGifts>(shopId, customerGiftsRef(customerId));
  const refs = [customerGiftsRef(customerId), ...(list?.grants ?? []).map(grantRef)];
  await store.updateDocuments(shopId, refs, () => ({ values: refs.map(() => undefined), result: undefined }));
}

/** For the customer export: the gifts granted to them. */
export async function exportGifts(store: Store, shopId: string, customerId: string): Promise<Grant[]> {
  const list = await store.getDocument<CustomerGifts>(shopId, customerGiftsRef(customerId));
  const grants = await Promise.all((list?.grants ?? []).map((id) => store.getDocument<Grant>(shopId, grantRef(id))));
  return grants.filter((g) => g !== undefined);
}

/** When each customer was first granted a gift (ms): the segments' "gifted" customers. */
export async function firstGiftTimes(store: Store, shopId: string): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  for (const g of await store.listDocuments<Grant>(shopId, COLLECTIONS.grants)) {
    const t = Date.parse(g.grantedAt);
    if (!first.has(g.customerId) || t < first.get(g.customerId)!) first.set(g.customerId, t);
  }
  return first;
}
