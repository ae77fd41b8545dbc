// Everything Kudos holds about one customer, as one JSON document (GDPR art. 15/20).
import { customerView } from '../loyalty/engine/apply.js';
import type { CustomerRecord } from '../loyalty/engine/customer.js';
import { programOf } from '../loyalty/ports.js';
import { statusOf } from '../share-save/engine.js';
import { memberGroups } from '../share-save/ports.js';
import type { Store } from '../store/store.js';
import { contactOf } from '../surveys/ports.js';
import { customerAwards, holderOf } from '../trophies/ports.js';
import type { AwardDocument } from '../trophies/schemas.js';
import type { CustomerExporter } from '../feature-kit.js';

export interface CustomerExport {
  customerId: string;
  exportedAt: string;
  /** Points, tier and badges as the widgets show them. */
  state: ReturnType<typeof customerView>;
  /** The stored record: event roll-ups, badges, points ledger, orders. */
  record: CustomerRecord | null;
  trophyAwards: Omit<AwardDocument, 'salt'>[];
  groups: {
    code: string;
    campaignId: string;
    role: 'owner' | 'member';
    joinedAt: string;
    status: string;
    discountCode?: string;
    percentOff?: number;
    usedOrderId?: string;
  }[];
  surveyAnswers: { surveyId: string; shownAt: string; dismissedAt?: string; score?: number; comment?: string; answeredAt?: string }[];
  /** Market visits (with email and consent), gifts and drop purchases: each feature's `exporters` in server/features.ts. */
  features: Record<string, unknown[]>;
}

/** Undefined when Kudos holds nothing about this customer in this shop. */
/** `exporters`: what each feature declares in server/features.ts, by the name its part takes. */
export async function exportCustomer(
  store: Store,
  shopId: string,
  customerId: string,
  now: Date,
  exporters: Readonly<Record<string, CustomerExporter>>,
): Promise<CustomerExport | undefined> {
  // Each feature's data through its ports.ts; the exporters registered in server/features.ts add the rest.
  const [record, holder, awards, theirGroups, contact] = await Promise.all([
    store.getCustomer(shopId, customerId),
    holderOf(store, shopId, customerId),
    customerAwards(store, shopId, customerId),
    memberGroups(store, shopId, customerId),
    contactOf(store, shopId, customerId),
  ]);
  const trophyAwards = awards.map(({ salt: _salt, ...a }) => a);
  const features = Object.fromEntries(
    await Promise.all(Object.entries(exporters).map(async ([name, exporter]) => [name, await exporter(store, shopId, customerId)] as const)),
  );
  const holdsFeatureData = Object.values(features).some((items) => items.length > 0);
  if (!record && !holder && !trophyAwards.length && !theirGroups.length && !contact && !holdsFeatureData) return undefined;
  const at = now.toISOString();
  const [badges, program] = await Promise.all([store.listBadges(shopId), programOf(store, shopId)]);
  return {
    customerId,
    exportedAt: at,
    state: customerView(customerId, record, { badges, program }, at),
    record: record ?? null,
    trophyAwards,
    groups: theirGroups.map((g) => {
      const m = g.members.find((m) => m.customerId === customerId)!;
      return {
        code: g.code,
        campaignId: g.campaignId,
        role: g.ownerId === customerId ? 'owner' : 'member',
        joinedAt: m.joinedAt,
        status: statusOf(g, now.getTime()),
        ...(m.discountCode && { discountCode: m.discountCode }),
        ...(m.percentOff !== undefined && { percentOff: m.percentOff }),
        ...(m.usedOrderId && { usedOrderId: m.usedOrderId }),
      };
    }),
    surveyAnswers: (contact?.recent ?? []).map((d) => ({
      surveyId: d.surveyId,
      shownAt: d.shownAt,
      ...(d.dismissedAt && { dismissedAt: d.dismissedAt }),
      ...(d.response && { score: d.response.score, answeredAt: d.response.at }),
      ...(d.response?.comment && { comment: d.response.comment }),
    })),
    features,
  };
}
