// The segments a shop's channels need, pure: per drop (product) the funnel views →
// holds → purchases, the repeat rate of customers a drop brought, and the retention
// of customers who got a micro-gift against those who did not. No I/O, no clock.
// docs/console.md "Segments" states each definition in words.
import type { CustomerRecord, OrderRecord } from '../loyalty/engine/customer.js';
import type { FunnelDay, FunnelDocument } from '../products/engine.js';

export interface DropSale {
  productId: string;
  customer: string;
  orderId: string;
}

export interface SegmentsInput {
  products: readonly { id: string; name: string }[];
  funnels: readonly FunnelDocument[];
  sales: readonly DropSale[];
  customers: readonly CustomerRecord[];
  /** Customer id → when they were first granted a micro-gift (ms). */
  gifted: ReadonlyMap<string, number>;
}

const ratio = (count: number, total: number) => (total > 0 ? Math.round((count / total) * 10_000) / 10_000 : null);

export interface DropFunnel {
  productId: string;
  name: string;
  views: number;
  holds: number;
  purchases: number;
  /** holds ÷ views, purchases ÷ holds, purchases ÷ views (null when nothing to divide by). */
  holdRate: number | null;
  purchaseRate: number | null;
  conversion: number | null;
}

export interface CohortRetention {
  cohort: number;
  retained: number;
  rate: number | null;
}

export interface Segments {
  from: string;
  to: string;
  drops: DropFunnel[];
  /** Customers whose first order was a drop sale, first order in the period: those with a later order, not refunded in full, before the period's end. */
  dropAcquired: CohortRetention;
  /** Customers whose first order fell in the period, split by whether they got a micro-gift before the period's end; retained as above. */
  giftRetention: { gifted: CohortRetention; notGifted: CohortRetention };
}

const keptOf = (o: OrderRecord) => o.refunded < o.total || (o.total === 0 && o.refunded === 0);

function ordersOf(c: CustomerRecord) {
  return Object.entries(c.orders ?? {})
    .map(([orderId, o]) => ({ orderId, at: Date.parse(o.at), kept: keptOf(o) }))
    .sort((a, b) => a.at - b.at || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}

export function computeSegments(input: SegmentsInput, period: { from: Date; to: Date }): Segments {
  const start = period.from.getTime();
  const end = period.to.getTime();
  const dayInside = (day: string) => {
    const t = Date.parse(`${day}T00:00:00Z`);
    return t >= start && t < end;
  };
  const names = new Map(input.products.map((p) => [p.id, p.name]));
  const drops: DropFunnel[] = input.funnels
    .map((f) => {
      const sum: FunnelDay = { views: 0, holds: 0, purchases: 0 };
      for (const [day, d] of Object.entries(f.days)) {
        if (!dayInside(day)) continue;
        sum.views += d.views;
        sum.holds += d.holds;
        sum.purchases += d.purchases;
      }
      return {
        productId: f.productId,
        name: names.get(f.productId) ?? f.productId,
        ...sum,
        holdRate: ratio(sum.holds, sum.views),
        purchaseRate: ratio(sum.purchases, sum.holds),
        conversion: ratio(sum.purchases, sum.views),
      };
    })
    .filter((d) => names.has(d.productId) || d.views + d.holds + d.purchases > 0)
    .sort((a, b) => (a.productId < b.productId ? -1 : 1));

  const dropOrders = new Set(input.sales.map((s) => `${s.customer}\u0000${s.orderId}`));
  const dropAcquired: CohortRetention = { cohort: 0, retained: 0, rate: null };
  const gifted: CohortRetention = { cohort: 0, retained: 0, rate: null };
  const notGifted: CohortRetention = { cohort: 0, retained: 0, rate: null };
  for (const c of input.customers) {
    const orders = ordersOf(c);
    const first = orders[0];
    if (!first || first.at < start || first.at >= end) continue;
    const retained = orders.slice(1).some((o) => o.at < end && o.kept);
    if (dropOrders.has(`${c.customerId}\u0000${first.orderId}`)) {
      dropAcquired.cohort++;
      if (retained) dropAcquired.retained++;
    }
    const grantedAt = input.gifted.get(c.customerId);
    const group = grantedAt !== undefined && grantedAt < end ? gifted : notGifted;
    group.cohort++;
    if (retained) group.retained++;
  }
  for (const g of [dropAcquired, gifted, notGifted]) g.rate = ratio(g.retained, g.cohort);
  return { from: period.from.toISOString(), to: period.to.toISOString(), drops, dropAcquired, giftRetention: { gifted, notGifted } };
}
