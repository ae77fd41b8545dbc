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
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource } from '../../engine/customer.js';
import { MARKET_WINDOW_DAYS, REPEAT_WINDOW_DAYS, rate, type CustomerPoints, type Window } from '../../metrics/engine.js';
import type { KpiContext } from '../store.js';

const DAY_MS = 86_400_000;
/** Milliseconds since the epoch of an ISO time held as JSON text (Date.parse). */
const ms = (text: string) => `(extract(epoch FROM (${text})::timestamptz) * 1000)::bigint`;

// $1 shop, $2 window starts, $3 window ends.
const WINDOWS = `w AS (SELECT (t.ord - 1)::int AS i, t.s AS ws, t.e AS we FROM unnest($2::bigint[], $3::bigint[]) WITH ORDINALITY AS t(s, e, ord))`;

const ORDERS = `o AS (
  SELECT c.customer_id, kv.key COLLATE "C" AS order_id, ${ms("kv.value->>'at'")} AS at,
         NULLIF(kv.value->>'src', '') AS src, NULLIF(kv.value->>'code', '') AS code,
         -- Not refunded in full (a free order counts unless refunded): keptOf.
         COALESCE((kv.value->>'refunded')::numeric < (kv.value->>'total')::numeric
           OR ((kv.value->>'total')::numeric = 0 AND (kv.value->>'refunded')::numeric = 0), false) AS kept,
         c.data->'ledger' AS ledger
  FROM customers c CROSS JOIN LATERAL json_each(COALESCE(c.data->'orders', '{}'::json)) kv
  WHERE c.shop_id = $1 AND c.data IS NOT NULL)`;

/** Per customer: the first order (oldest, then by order id), and whether they came back (retention, repeat30). */
const COHORTS = `WITH ${ORDERS},
  r AS (SELECT o.*, row_number() OVER p AS n, first_value(at) OVER p AS first_at FROM o
        WINDOW p AS (PARTITION BY customer_id ORDER BY at, order_id)),
  f AS (SELECT customer_id, min(first_at) AS first_at,
               bool_or(n > 1 AND at < $4 AND kept) AS retained,
               bool_or(n > 1 AND at <= first_at + $5) AS repeated
        FROM r GROUP BY customer_id),
  ${WINDOWS}
  SELECT w.i, count(f.customer_id)::int AS cohort,
         count(*) FILTER (WHERE f.retained)::int AS retained,
         count(*) FILTER (WHERE f.repeated)::int AS repeated,
         count(*) FILTER (WHERE NOT f.repeated AND f.first_at + $5 > $6)::int AS pending
  FROM w LEFT JOIN f ON f.first_at >= w.ws AND f.first_at < w.we GROUP BY w.i`;

/** Per window: buyers, those with two or more orders in it, and with two or more kept ones. */
const BUYERS = `WITH ${ORDERS}, ${WINDOWS},
  per AS (SELECT w.i, o.customer_id, count(*) AS n, count(*) FILTER (WHERE o.kept) AS kept
          FROM w JOIN o ON o.at >= w.ws AND o.at < w.we GROUP BY w.i, o.customer_id)
  SELECT i, count(*)::int AS buyers, count(*) FILTER (WHERE n > 1)::int AS repeaters, count(*) FILTER (WHERE kept >= 2)::int AS kept2
  FROM per GROUP BY i`;

/**
 * Each order of a window with its sources (sourcesOf): its kudos_src; market
 * after a check-in at a stall within the market window ($4 customers, $5 times,
 * $6 window); loyalty when its code is one the customer redeemed; group when a
 * group recorded it as spending a member's code ($7 customers, $8 order ids).
 */
const SOURCES = `WITH ${ORDERS}, ${WINDOWS},
  visits AS (SELECT * FROM unnest($4::text[], $5::bigint[]) AS v(customer_id, at)),
  spent AS (SELECT * FROM unnest($7::text[], $8::text[]) AS g(customer_id, order_id)),
  s AS (
    SELECT w.i, ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[
      o.src,
      CASE WHEN EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = o.customer_id AND v.at <= o.at AND o.at - v.at <= $6) THEN 'market' END,
      CASE WHEN o.code IS NOT NULL AND EXISTS (
        SELECT 1 FROM json_array_elements(COALESCE(o.ledger, '[]'::json)) e WHERE e->>'kind' = 'redeem' AND e->>'code' = o.code) THEN 'loyalty' END,
      CASE WHEN EXISTS (SELECT 1 FROM spent g WHERE g.customer_id = o.customer_id AND g.order_id = o.order_id) THEN 'group' END
    ]) AS x WHERE x IS NOT NULL) AS sources
    FROM w JOIN o ON o.at >= w.ws AND o.at < w.we)
  SELECT i, NULL AS source, count(*)::int AS n,
         count(*) FILTER (WHERE cardinality(sources) > 0)::int AS any,
         count(*) FILTER (WHERE sources && $9::text[])::int AS recognition
  FROM s GROUP BY i
  UNION ALL
  SELECT i, x AS source, count(*)::int AS n, 0, 0 FROM s CROSS JOIN LATERAL unnest(sources) AS x GROUP BY i, x`;

/** Badges earned and ledger movements per window. */
const AWARDS_AND_POINTS = `WITH ${WINDOWS},
  c AS (SELECT data FROM customers WHERE shop_id = $1 AND data IS NOT NULL),
  b AS (SELECT ${ms("b.value->>'awardedAt'")} AS at FROM c CROSS JOIN LATERAL json_each(COALESCE(c.data->'badges', '{}'::json)) b),
  e AS (SELECT e->>'kind' AS kind, (e->>'points')::numeric AS points, ${ms("e->>'at'")} AS at
        FROM c CROSS JOIN LATERAL json_array_elements(COALESCE(c.data->'ledger', '[]'::json)) e)
  SELECT w.i,
    (SELECT count(*) FROM b WHERE b.at >= w.ws AND b.at < w.we)::int AS badges,
    (SELECT COALESCE(sum(points) FILTER (WHERE kind = 'earn'), 0) FROM e WHERE e.at >= w.ws AND e.at < w.we)::float8 AS issued,
    (SELECT 0 - COALESCE(sum(points) FILTER (WHERE kind = 'redeem'), 0) FROM e WHERE e.at >= w.ws AND e.at < w.we)::float8 AS redeemed,
    (SELECT 0 - COALESCE(sum(points) FILTER (WHERE kind = 'clawback'), 0) FROM e WHERE e.at >= w.ws AND e.at < w.we)::float8 AS clawed_back,
    (SELECT 0 - COALESCE(sum(points) FILTER (WHERE kind = 'expire'), 0) FROM e WHERE e.at >= w.ws AND e.at < w.we)::float8 AS expired
  FROM w`;

export async function customerPointsSql(
  pool: pg.Pool,
  shopId: string,
  windows: readonly Window[],
  now: number,
  context: KpiContext,
): Promise<CustomerPoints[]> {
  const starts = windows.map((w) => w.start);
  const ends = windows.map((w) => w.end);
  const until = windows[0]!.end;
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const cohorts = await client.query<{ i: number; cohort: number; retained: number; repeated: number; pending: number }>(COHORTS, [
      shopId,
      starts,
      ends,
      until,
      REPEAT_WINDOW_DAYS * DAY_MS,
      now,
    ]);
    const buyers = await client.query<{ i: number; buyers: number; repeaters: number; kept2: number }>(BUYERS, [shopId, starts, ends]);
    const visits = [...(context.marketVisits ?? new Map<string, readonly number[]>())].flatMap(([customer, times]) => times.map((t) => [customer, t] as const));
    const sources = await client.query<{ i: number; source: string | null; n: number; any: number; recognition: number }>(SOURCES, [
      shopId,
      starts,
      ends,
      visits.map((v) => v[0]),
      visits.map((v) => v[1]),
      MARKET_WINDOW_DAYS * DAY_MS,
      context.groupOrders.map((g) => g.customerId),
      context.groupOrders.map((g) => g.orderId),
      [...RECOGNITION_SOURCES],
    ]);
    const rest = await client.query<{ i: number; badges: number; issued: number; redeemed: number; clawed_back: number; expired: number }>(AWARDS_AND_POINTS, [
      shopId,
      starts,
      ends,
    ]);
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
