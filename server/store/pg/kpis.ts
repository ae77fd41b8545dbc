// The customer-record side of GET /v1/metrics, aggregated in PostgreSQL from the
// KPI roll-up tables (migration 6: kpi_orders, kpi_customers, kpi_ledger,
// kpi_badges), which a trigger derives from each customer record in the
// transaction that writes it. A request reads index ranges of its period (the
// orders, ledger entries and badges inside it, the customers whose first order
// falls in it) and only one row per window (and source) comes back: no record's
// json is parsed on the request path (issue 15: KPIs computed in the database;
// issue 20: cost of the period, not of the store).
//
// The definitions are server/metrics/engine.ts's, line for line: the store
// contract test (test/store/kpis.test.ts) compares this with the engine on the
// same data. One read-only REPEATABLE READ transaction, so every figure sees the
// same snapshot.
import type pg from 'pg';
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource } from '../../loyalty/engine/customer.js';
import { MARKET_WINDOW_DAYS, REPEAT_WINDOW_DAYS, rate, type CustomerPoints, type Window } from '../../metrics/engine.js';
import type { KpiContext } from '../store.js';

const DAY_MS = 86_400_000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of json_agg, shaped by the SQL above
type Row = any;

// One pass per table: each row's week is width_bucket over the weeks' starts, and
// GROUPING SETS give the whole period (week NULL: window 0) and each week (window
// week) from the same scan, instead of joining every row with every window.
// $1 shop, $2 the weeks' starts (ascending), $3/$4 the period [from, to), $5 repeat
// window, $6 now, $7/$8 market visits (customers, times), $9 market window,
// $10/$11 group orders (customers, order ids), $12 recognition sources.
const perSource = ATTRIBUTION_SOURCES.map((source) => {
  const also = source === 'market' ? ' OR market' : source === 'loyalty' ? ' OR loyalty' : source === 'group' ? ' OR grp' : '';
  return `count(*) FILTER (WHERE src = '${source}'${also})::int AS "${source}"`;
}).join(',\n           ');
export const KPIS = `WITH
  o AS MATERIALIZED (
    SELECT customer_id, order_id, at, kept, src, loyalty, width_bucket(at, $2::bigint[]) AS wk
    FROM kpi_orders WHERE shop_id = $1 AND at >= $3 AND at < $4),
  f AS (SELECT width_bucket(first_at, $2::bigint[]) AS wk, first_at, second_at, kept_later_at
        FROM kpi_customers WHERE shop_id = $1 AND first_at >= $3 AND first_at < $4),
  cohorts AS (
    SELECT COALESCE(wk, 0) AS i, count(*)::int AS cohort,
           count(*) FILTER (WHERE kept_later_at < $4)::int AS retained,
           count(*) FILTER (WHERE second_at <= first_at + $5)::int AS repeated,
           count(*) FILTER (WHERE NOT COALESCE(second_at <= first_at + $5, false) AND first_at + $5 > $6)::int AS pending
    FROM f GROUP BY GROUPING SETS ((), (wk))),
  per AS (SELECT COALESCE(wk, 0) AS i, count(*) AS n, count(*) FILTER (WHERE kept) AS kept
          FROM o GROUP BY GROUPING SETS ((customer_id), (wk, customer_id))),
  buyers AS (SELECT i, count(*)::int AS buyers, count(*) FILTER (WHERE n > 1)::int AS repeaters, count(*) FILTER (WHERE kept >= 2)::int AS kept2
             FROM per GROUP BY i),
  visits AS (SELECT * FROM unnest($7::text[], $8::bigint[]) AS v(customer_id, at)),
  spent AS (SELECT * FROM unnest($10::text[], $11::text[]) AS g(customer_id, order_id)),
  -- sourcesOf: kudos_src; market after a check-in within the market window; loyalty; group.
  os AS (
    SELECT wk, src, loyalty,
      cardinality($7::text[]) > 0 AND EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = o.customer_id AND v.at <= o.at AND o.at - v.at <= $9) AS market,
      cardinality($10::text[]) > 0 AND EXISTS (SELECT 1 FROM spent g WHERE g.customer_id = o.customer_id AND g.order_id = o.order_id) AS grp
    FROM o),
  conv AS (
    SELECT COALESCE(wk, 0) AS i, count(*)::int AS n,
           count(*) FILTER (WHERE src IS NOT NULL OR market OR loyalty OR grp)::int AS any,
           count(*) FILTER (WHERE src = ANY($12::text[]) OR (market AND 'market' = ANY($12::text[]))
             OR (loyalty AND 'loyalty' = ANY($12::text[])) OR (grp AND 'group' = ANY($12::text[])))::int AS recognition,
           ${perSource}
    FROM os GROUP BY GROUPING SETS ((), (wk))),
  badges AS (SELECT COALESCE(width_bucket(at, $2::bigint[]), 0) AS i, count(*)::int AS badges
             FROM kpi_badges WHERE shop_id = $1 AND at >= $3 AND at < $4 GROUP BY GROUPING SETS ((), (width_bucket(at, $2::bigint[])))),
  points AS (
    SELECT COALESCE(width_bucket(at, $2::bigint[]), 0) AS i,
      COALESCE(sum(points) FILTER (WHERE kind = 'earn'), 0)::float8 AS issued,
      (0 - COALESCE(sum(points) FILTER (WHERE kind = 'redeem'), 0))::float8 AS redeemed,
      (0 - COALESCE(sum(points) FILTER (WHERE kind = 'clawback'), 0))::float8 AS clawed_back,
      (0 - COALESCE(sum(points) FILTER (WHERE kind = 'expire'), 0))::float8 AS expired
    FROM kpi_ledger WHERE shop_id = $1 AND at >= $3 AND at < $4 GROUP BY GROUPING SETS ((), (width_bucket(at, $2::bigint[]))))
  SELECT (SELECT json_agg(x) FROM cohorts x) AS cohorts, (SELECT json_agg(x) FROM buyers x) AS buyers,
         (SELECT json_agg(x) FROM conv x) AS conv,
         (SELECT json_agg(x) FROM badges x) AS badges, (SELECT json_agg(x) FROM points x) AS points`;

/** metricWindows' shape, which the single pass relies on: the period, then weeks that tile it in order. */
function weeksOf(windows: readonly Window[]): number[] {
  const [period, ...weeks] = windows;
  const tiles = weeks.length > 0 && weeks[0]!.start === period!.start && weeks.at(-1)!.end === period!.end && weeks.every((w, k) => k === 0 || w.start === weeks[k - 1]!.end);
  if (!tiles) throw new Error('KPIs in SQL: windows must be the period followed by weeks that tile it (metricWindows)');
  return weeks.map((w) => w.start);
}

export async function customerPointsSql(
  connect: () => Promise<pg.PoolClient>,
  shopId: string,
  windows: readonly Window[],
  now: number,
  context: KpiContext,
): Promise<CustomerPoints[]> {
  const period = windows[0]!;
  const weekStarts = weeksOf(windows);
  const client = await connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const visits = [...(context.marketVisits ?? new Map<string, readonly number[]>())].flatMap(([customer, times]) => times.map((t) => [customer, t] as const));
    const { rows } = await client.query<Record<'cohorts' | 'buyers' | 'conv' | 'badges' | 'points', Row[] | null>>(KPIS, [
      shopId,
      weekStarts,
      period.start,
      period.end,
      REPEAT_WINDOW_DAYS * DAY_MS,
      now,
      visits.map((v) => v[0]),
      visits.map((v) => v[1]),
      MARKET_WINDOW_DAYS * DAY_MS,
      context.groupOrders.map((g) => g.customerId),
      context.groupOrders.map((g) => g.orderId),
      [...RECOGNITION_SOURCES],
    ]);
    const result = rows[0]!;
    await client.query('COMMIT');
    const of = (key: keyof typeof result, i: number) => (result[key] ?? []).find((r) => r.i === i);
    return windows.map((_w, i) => {
      const c = of('cohorts', i) ?? { cohort: 0, retained: 0, repeated: 0, pending: 0 };
      const b = of('buyers', i) ?? { buyers: 0, repeaters: 0, kept2: 0 };
      const total = of('conv', i) ?? { n: 0, any: 0, recognition: 0 };
      const bySource = (s: AttributionSource): number => total[s] ?? 0;
      const p = of('points', i) ?? { issued: 0, redeemed: 0, clawed_back: 0, expired: 0 };
      const badges: number = of('badges', i)?.badges ?? 0;
      return {
        returnCorrected: { buyers: b.buyers, retained: b.kept2, rate: rate(b.kept2, b.buyers) },
        retention: { cohort: c.cohort, retained: c.retained, rate: rate(c.retained, c.cohort) },
        repeat: { customers: b.buyers, repeaters: b.repeaters, rate: rate(b.repeaters, b.buyers) },
        repeat30: { cohort: c.cohort, repeated: c.repeated, pending: c.pending, rate: rate(c.repeated, c.cohort - c.pending) },
        conversion: {
          purchases: total.n,
          recognition: { purchases: total.recognition, rate: rate(total.recognition, total.n) },
          sources: Object.fromEntries(ATTRIBUTION_SOURCES.map((s) => [s, { purchases: bySource(s), rate: rate(bySource(s), total.n) }])) as CustomerPoints['conversion']['sources'],
          any: { purchases: total.any, rate: rate(total.any, total.n) },
        },
        badges,
        points: { issued: p.issued, redeemed: p.redeemed, clawedBack: p.clawed_back, expired: p.expired },
      };
    });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
