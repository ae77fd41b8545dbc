// Reads what the KPIs need from the store, then hands it to the pure engine.
import { visitTimesByCustomer } from '../checkins/ports.js';
import { listGroups } from '../share-save/ports.js';
import { allCustomers } from '../store/all-customers.js';
import type { Store } from '../store/store.js';
import { listTallies } from '../surveys/ports.js';
import { listAwards } from '../trophies/ports.js';
import { computeMetrics, metricWindows, type Metrics, type MetricsInput, type Period } from './engine.js';
import { rollupsOf } from './rollup.js';

/**
 * What the engine needs. With a period, the customer figures of its windows come
 * from the store's aggregates (PostgreSQL, in SQL) or from the roll-ups kept
 * beside an in-process store (lowdb, server/metrics/rollup.ts), and no record is
 * loaded. Without a period every record is read: the reference the fast paths
 * are tested against.
 */
export async function metricsInput(store: Store, shopId: string, period?: Period): Promise<MetricsInput> {
  const rollups = store.kpis ? undefined : rollupsOf(store);
  const aggregate = store.kpis ?? rollups;
  const inStore = period !== undefined && aggregate !== undefined;
  const [customers, tallies, groups, trophyAwards, marketVisits] = await Promise.all([
    inStore ? [] : allCustomers(store, shopId),
    listTallies(store, shopId),
    listGroups(store, shopId),
    listAwards(store, shopId),
    visitTimesByCustomer(store, shopId),
  ]);
  const customerPoints =
    inStore && period
      ? await aggregate!.customerPoints(shopId, metricWindows(period.from, period.to), period.now.getTime(), {
          groupOrders: groups.flatMap((g) => g.members.flatMap((m) => (m.usedOrderId ? [{ customerId: m.customerId, orderId: m.usedOrderId }] : []))),
          marketVisits,
        })
      : undefined;
  return {
    customers,
    npsWeeks: tallies.map((t) => t.weeks ?? {}),
    npsDays: tallies.map((t) => t.days),
    npsChannels: tallies.map((t) => t.channelDays),
    groups,
    trophyAwards,
    marketVisits,
    ...(customerPoints && { customerPoints }),
  };
}

export async function shopMetrics(store: Store, shopId: string, period: Period): Promise<Metrics> {
  return computeMetrics(await metricsInput(store, shopId, period), period);
}
