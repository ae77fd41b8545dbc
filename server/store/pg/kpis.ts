// The customer-record side of GET /v1/metrics, aggregated in PostgreSQL: orders,
// ledger entries and badges are read from the customers' JSON where they lie and
// only one row per window (and source) comes back, instead of every customer
// record travelling to the process (issue 15: KPIs computed in the database).
//
// The definitions are server/metrics/engine.ts's, line for line: the store
// contract test (test/store/kpis.test.ts) compares this with the engine on the
// same data. One read-only REPEATABLE READ transaction, so every figure sees the
// same snapshot; UTC so that a date without a zone parses as JavaScript's does.
import type pg from 'pg';
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource } from '../../loyalty/engine/customer.js';
import { MARKET_WINDOW_DAYS, REPEAT_WINDOW_DAYS, rate, type CustomerPoints, type Window } from '../../metrics/engine.js';
import type { KpiContext } from '../store.js';

const DAY_MS = 86_400_000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of json_agg, shaped by the SQL above
type Row = any;
/** Milliseconds since the epoch of an ISO time held as JSON text (Date.parse). */
const ms = (text: string) => `(extract(epoch FROM (${text})::timestamptz) * 1000)::bigint`;

// One statement, so each record is parsed once: json → jsonb for the shop's
// customers, every order (with its loyalty flag) and ledger entry materialized
// once, then aggregated per window. $1 shop, $2 window starts, $3 window ends,
// $4 the period's end (retention), $5 repeat window, $6 now, $7/$8 market
// visits (customers, times), $9 market window, $10/$11 group orders (customers,
// order ids), $12 recognition sources.
const KPIS = `WITH
  w AS (SELECT (t.ord - 1)::int AS i, t.s AS ws, t.e AS we FROM unnest($2::bigint[], $3::bigint[]) WITH ORDINALITY AS t(s, e, ord)),
  c AS MATERIALIZED (SELECT customer_id, data::jsonb AS d FROM customers WHERE shop_id = $1 AND data IS NOT NULL),
  o AS MATERIALIZED (
    SELECT c.customer_id, kv.key COLLATE "C" AS order_id, ${ms("kv.value->>'at'")} AS at,
           NULLIF(kv.value->>'src', '') AS src,
           -- Not refunded in full (a free order counts unless refunded): keptOf.
           COALESCE((kv.value->>'refunded')::numeric < (kv.value->>'total')::numeric
             OR ((kv.value->>'total')::numeric = 0 AND (kv.value->>'refunded')::numeric = 0), false) AS kept,
           -- loyalty: its code is one this customer redeemed.
           CASE WHEN NULLIF(kv.value->>'code', '') IS NULL THEN false ELSE EXISTS (
             SELECT 1 FROM jsonb_array_elements(COALESCE(c.d->'ledger', '[]'::jsonb)) e
             WHERE e->>'kind' = 'redeem' AND e->>'code' = kv.value->>'code') END AS loyalty
    FROM c CROSS JOIN LATERAL jsonb_each(COALESCE(c.d->'orders', '{}'::jsonb)) kv),
  r AS MATERIALIZED (
    SELECT o.*, row_number() OVER p AS n, first_value(at) OVER p AS first_at FROM o
    WINDOW p AS (PARTITION BY customer_id ORDER BY at, order_id)),
  f AS (SELECT customer_id, min(first_at) AS first_at,
               bool_or(n > 1 AND at < $4 AND kept) AS retained,
               bool_or(n > 1 AND at <= first_at + $5) AS repeated
        FROM r GROUP BY customer_id),
  cohorts AS (
    SELECT w.i, count(f.customer_id)::int AS cohort, count(*) FILTER (WHERE f.retained)::int AS retained,
           count(*) FILTER (WHERE f.repeated)::int AS repeated,
           count(*) FILTER (WHERE NOT f.repeated AND f.first_at + $5 > $6)::int AS pending
    FROM w LEFT JOIN f ON f.first_at >= w.ws AND f.first_at < w.we GROUP BY w.i),
  per AS (SELECT w.i, o.customer_id, count(*) AS n, count(*) FILTER (WHERE o.kept) AS kept
          FROM w JOIN o ON o.at >= w.ws AND o.at < w.we GROUP BY w.i, o.customer_id),
  buyers AS (SELECT i, count(*)::int AS buyers, count(*) FILTER (WHERE n > 1)::int AS repeaters, count(*) FILTER (WHERE kept >= 2)::int AS kept2
             FROM per GROUP BY i),
  visits AS (SELECT * FROM unnest($7::text[], $8::bigint[]) AS v(customer_id, at)),
  spent AS (SELECT * FROM unnest($10::text[], $11::text[]) AS g(customer_id, order_id)),
  -- sourcesOf: kudos_src; market after a check-in within the market window; loyalty; group.
  os AS MATERIALIZED (
    SELECT o.at, ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[
      o.src,
      CASE WHEN EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = o.customer_id AND v.at <= o.at AND o.at - v.at <= $9) THEN 'market' END,
      CASE WHEN o.loyalty THEN 'loyalty' END,
      CASE WHEN EXISTS (SELECT 1 FROM spent g WHERE g.customer_id = o.customer_id AND g.order_id = o.order_id) THEN 'group' END
    ]) AS x WHERE x IS NOT NULL) AS sources
    FROM o),
  s AS (SELECT w.i, os.sources FROM w JOIN os ON os.at >= w.ws AND os.at < w.we),
  conv AS (SELECT i, count(*)::int AS n, count(*) FILTER (WHERE cardinality(sources) > 0)::int AS any,
                  count(*) FILTER (WHERE sources && $12::text[])::int AS recognition FROM s GROUP BY i),
  bysrc AS (SELECT i, x AS source, count(*)::int AS n FROM s CROSS JOIN LATERAL unnest(sources) AS x GROUP BY i, x),
  b AS (SELECT ${ms("b.value->>'awardedAt'")} AS at FROM c CROSS JOIN LATERAL jsonb_each(COALESCE(c.d->'badges', '{}'::jsonb)) b),
  e AS (SELECT e->>'kind' AS kind, (e->>'points')::numeric AS points, ${ms("e->>'at'")} AS at
        FROM c CROSS JOIN LATERAL jsonb_array_elements(COALESCE(c.d->'ledger', '[]'::jsonb)) e),
  badges AS (SELECT w.i, count(b.at)::int AS badges FROM w LEFT JOIN b ON b.at >= w.ws AND b.at < w.we GROUP BY w.i),
  points AS (
    SELECT w.i,
      COALESCE(sum(e.points) FILTER (WHERE e.kind = 'earn'), 0)::float8 AS issued,
      (0 - COALESCE(sum(e.points) FILTER (WHERE e.kind = 'redeem'), 0))::float8 AS redeemed,
      (0 - COALESCE(sum(e.points) FILTER (WHERE e.kind = 'clawback'), 0))::float8 AS clawed_back,
      (0 - COALESCE(sum(e.points) FILTER (WHERE e.kind = 'expire'), 0))::float8 AS expired
    FROM w LEFT JOIN e ON e.at >= w.ws AND e.at < w.we GROUP BY w.i)
  SELECT (SELECT json_agg(x) FROM cohorts x) AS cohorts, (SELECT json_agg(x) FROM buyers x) AS buyers,
         (SELECT json_agg(x) FROM conv x) AS conv, (SELECT json_agg(x) FROM bysrc x) AS bysrc,
         (SELECT json_agg(x) FROM badges x) AS badges, (SELECT json_agg(x) FROM points x) AS points`;

export async function customerPointsSql(
  connect: () => Promise<pg.PoolClient>,
  shopId: string,
  windows: readonly Window[],
  now: number,
  context: KpiContext,
): Promise<CustomerPoints[]> {
  const starts = windows.map((w) => w.start);
  const ends = windows.map((w) => w.end);
  const until = windows[0]!.end;
  const client = await connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const visits = [...(context.marketVisits ?? new Map<string, readonly number[]>())].flatMap(([customer, times]) => times.map((t) => [customer, t] as const));
    const { rows } = await client.query<Record<'cohorts' | 'buyers' | 'conv' | 'bysrc' | 'badges' | 'points', Row[] | null>>(KPIS, [
      shopId,
      starts,
      ends,
      until,
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
    const cohorts = { rows: result.cohorts ?? [] };
    const buyers = { rows: result.buyers ?? [] };
    const sources = { rows: [...(result.conv ?? []).map((r) => ({ ...r, source: null })), ...(result.bysrc ?? [])] };
    const rest = { rows: (result.points ?? []).map((p) => ({ ...p, badges: (result.badges ?? []).find((b) => b.i === p.i)?.badges ?? 0 })) };
    await client.query('COMMIT');
    return windows.map((_w, i) => {
      const c = cohorts.rows.find((r) => r.i === i) ?? { cohort: 0, retained: 0, repeated: 0, pending: 0 };
      const b = buyers.rows.find((r) => r.i === i) ?? { buyers: 0, repeaters: 0, kept2: 0 };
      const total = sources.rows.find((r) => r.i === i && r.source === null) ?? { n: 0, any: 0, recognition: 0 };
      const bySource = (s: AttributionSource) => sources.rows.find((r) => r.i === i && r.source === s)?.n ?? 0;
      const p = rest.rows.find((r) => r.i === i)!;
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
        badges: p.badges,
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
