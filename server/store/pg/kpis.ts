// The customer-record side of GET /v1/metrics in PostgreSQL, from the day
// aggregates of migration 8 (kpi_days, plus the kpi_deltas writers left since the
// last fold), which the customers trigger keeps in the transaction that writes a
// record. A request reads the period's days (a few thousand rows at most, one per
// day and figure, or per pair of days), never its orders: server/metrics/daily.ts
// turns them into the figures with exactly the engine's definitions, the same code
// the lowdb store answers with. Only a day a period's edge cuts through (items on
// both sides of the edge) is read item by item, from the customers active on it.
// One read-only REPEATABLE READ transaction: every figure sees the same snapshot
// (test/store/kpis.test.ts compares the result with the engine on the same data).
import type pg from 'pg';
import {
  DAY_MS,
  WIDTHS,
  boundariesOf,
  attributedCustomers,
  customerPointsFromDays,
  dayOf,
  type Family,
  type Items,
  type Kind,
  type KpiOrder,
  type Side,
} from '../../metrics/daily.js';
import type { CustomerPoints, Window } from '../../metrics/engine.js';
import { randomBytes } from 'node:crypto';
import type { AttributionSource, CustomerRecord, CustomerUpdate } from '../../loyalty/engine/customer.js';
import type { KpiContext, KpiQueries } from '../store.js';

/** migration 8: pair families are kinds 0-4, one-dimensional kinds 10 + daily.ts Kind. */
const ONE_D = 10;
const KINDS = [0, 1, 2, 3, 4, 10, 11, 12, 13];

// $1 shop, $2/$3 the period's first and last day, $4/$5 boundaries and their days' starts,
// $6 customers with attribution in other documents, $7/$8 the period [start, end).
export const KPI_DAYS = `WITH
  cells AS (
    SELECT kind, a, b, sum(n)::float8 AS n FROM (
      SELECT kind, a, b, n FROM kpi_days WHERE shop_id = $1 AND kind = ANY($9::smallint[]) AND a BETWEEN $2 AND $3 AND (kind >= ${ONE_D} OR b <= $3)
      UNION ALL
      SELECT kind, a, b, n FROM kpi_deltas WHERE shop_id = $1 AND kind = ANY($9::smallint[]) AND a BETWEEN $2 AND $3 AND (kind >= ${ONE_D} OR b <= $3)) x
    GROUP BY kind, a, b HAVING sum(n) <> 0),
  sides AS (
    SELECT t,
      EXISTS (SELECT 1 FROM kpi_orders WHERE shop_id = $1 AND at >= lo AND at < t)
        OR EXISTS (SELECT 1 FROM kpi_ledger WHERE shop_id = $1 AND at >= lo AND at < t)
        OR EXISTS (SELECT 1 FROM kpi_badges WHERE shop_id = $1 AND at >= lo AND at < t) AS before,
      EXISTS (SELECT 1 FROM kpi_orders WHERE shop_id = $1 AND at >= t AND at < lo + ${DAY_MS})
        OR EXISTS (SELECT 1 FROM kpi_ledger WHERE shop_id = $1 AND at >= t AND at < lo + ${DAY_MS})
        OR EXISTS (SELECT 1 FROM kpi_badges WHERE shop_id = $1 AND at >= t AND at < lo + ${DAY_MS}) AS after
    FROM unnest($4::bigint[], $5::bigint[]) AS u(t, lo))
  SELECT (SELECT json_agg(json_build_array(kind, a, b, n)) FROM cells) AS cells,
         (SELECT json_agg(json_build_array(t, before, after)) FROM sides) AS sides,
         (SELECT json_agg(json_build_array(customer_id, order_id, at, kept, src, loyalty)) FROM kpi_orders
          WHERE shop_id = $1 AND customer_id = ANY($6::text[]) AND at >= $7 AND at < $8) AS orders`;

// The items touching the days an edge cuts ($2: the days' starts, $3: the days), with their
// times, from the customers active on those days (migration 9 kpi_timed_items_of: one pass over all of them).
export const KPI_CUT_DAYS = `WITH
  who AS (
    SELECT customer_id FROM kpi_orders, unnest($2::bigint[]) d WHERE shop_id = $1 AND at >= d AND at < d + ${DAY_MS}
    UNION SELECT customer_id FROM kpi_ledger, unnest($2::bigint[]) d WHERE shop_id = $1 AND at >= d AND at < d + ${DAY_MS}
    UNION SELECT customer_id FROM kpi_badges, unnest($2::bigint[]) d WHERE shop_id = $1 AND at >= d AND at < d + ${DAY_MS}),
  items AS (SELECT i.kind, i.a, i.b, i.n FROM kpi_timed_items_of($1, ARRAY(SELECT customer_id FROM who)) i)
  SELECT json_agg(json_build_array(kind, a, b, n::float8)) AS items FROM items
  WHERE kpi_day(a) = ANY($3::integer[]) OR (kind < ${ONE_D} AND kpi_day(b) = ANY($3::integer[]))`;

type OrderRow = [string, string, number, boolean, AttributionSource | null, boolean];
const orderOf = (r: OrderRow): KpiOrder => ({ orderId: r[1], at: Number(r[2]), kept: r[3], src: r[4] ?? undefined, loyalty: r[5] });

/** Folds this many deltas a statement, so no fold holds its locks long. */
const FOLD_BATCH = 20_000;
/**
 * Once folds have moved this many deltas, kpi_deltas is vacuumed at once. A fold
 * deletes what it moves, and until a vacuum the dead rows stay in the index every
 * request's read of the deltas walks: after 100 k purchases (585 k deltas) that read
 * took 250-500 ms instead of < 1 ms, on every request until autovacuum came by
 * (measured: the first GET /v1/metrics after start-up, docs/operations-postgres.md).
 */
const VACUUM_AFTER = 5_000;

export class PgKpis implements KpiQueries {
  private folding: Promise<void> | undefined;
  /** Deltas this instance folded since it last vacuumed kpi_deltas. */
  private sinceVacuum = 0;

  constructor(private readonly connect: () => Promise<pg.PoolClient>) {}

  /** Moves the deltas writers left into kpi_days (another instance folding meanwhile: this one stops). */
  fold(): Promise<void> {
    this.folding ??= (async () => {
      try {
        for (;;) {
          const client = await this.connect();
          let moved: number;
          try {
            moved = (await client.query<{ moved: number }>('SELECT kpi_fold($1) AS moved', [FOLD_BATCH])).rows[0]!.moved;
            this.sinceVacuum += moved;
            // Outside any transaction (the pool's clients autocommit); another vacuum under way: skipped.
            if (moved < FOLD_BATCH && this.sinceVacuum >= VACUUM_AFTER) {
              this.sinceVacuum = 0;
              await client.query('VACUUM (SKIP_LOCKED) kpi_deltas, kpi_days');
            }
          } finally {
            client.release();
          }
          if (moved < FOLD_BATCH) return;
        }
      } finally {
        this.folding = undefined;
      }
    })();
    return this.folding;
  }

  async customerPoints(shopId: string, windows: readonly Window[], now: number, context: KpiContext): Promise<CustomerPoints[]> {
    const period = windows[0]!;
    const boundaries = boundariesOf(windows, now);
    const attributed = attributedCustomers(context);
    const client = await this.connect();
    let points: CustomerPoints[];
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query(KPI_DAYS, [
        shopId,
        dayOf(period.start),
        dayOf(period.end),
        boundaries,
        boundaries.map((t) => dayOf(t) * DAY_MS),
        attributed,
        period.start,
        period.end,
        KINDS,
      ]);
      const result = rows[0] as { cells: [number, number, number, number][] | null; sides: [number | string, boolean, boolean][] | null; orders: OrderRow[] | null };
      const one = new Map<string, number[]>();
      const pairs = new Map<string, [number, number][]>();
      for (const [kind, a, b, n] of result.cells ?? []) {
        if (kind >= ONE_D) {
          const key = `${kind - ONE_D}|${a}`;
          let v = one.get(key);
          if (!v) one.set(key, (v = Array<number>(WIDTHS[(kind - ONE_D) as Kind]).fill(0)));
          v[b] = n;
        } else {
          const key = `${kind}|${a}`;
          let row = pairs.get(key);
          if (!row) pairs.set(key, (row = []));
          row.push([b, n]);
        }
      }
      const sides = new Map<number, Side>();
      for (const [t, before, after] of result.sides ?? []) sides.set(Number(t), !before ? 1 : !after ? -1 : 0);
      const byCustomer = new Map<string, KpiOrder[]>();
      for (const r of result.orders ?? []) byCustomer.set(r[0], [...(byCustomer.get(r[0]) ?? []), orderOf(r)]);
      const cutDays = [...new Set(boundaries.filter((t) => sides.get(t) === 0).map(dayOf))];
      const exact = cutDays.length > 0 ? await exactDays(client, shopId, cutDays) : new Map<number, Items>();
      await client.query('COMMIT');
      points = customerPointsFromDays(
        {
          day: (kind, d) => one.get(`${kind}|${d}`),
          pairs: (fam: Family, aDay) => pairs.get(`${fam}|${aDay}`),
          side: (t) => {
            const side = sides.get(t);
            if (side === undefined) throw new Error(`KPIs in SQL: no side read for ${t}`);
            return side;
          },
          exact: (d) => exact.get(d) ?? { one: [], two: [] },
          orders: (customerId) => byCustomer.get(customerId) ?? [],
        },
        windows,
        now,
        context,
      );
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    // What writers left since the last fold goes into the day rows, for the next request.
    void this.fold().catch(() => {});
    return points;
  }
}

/** Every item touching the cut days (daily.ts Items, as the trigger sums them). */
async function exactDays(client: pg.PoolClient, shopId: string, days: readonly number[]): Promise<Map<number, Items>> {
  const { rows } = await client.query<{ items: [number, number | string, number | string, number][] | null }>(KPI_CUT_DAYS, [shopId, days.map((d) => d * DAY_MS), days]);
  const out = new Map<number, Items>(days.map((d) => [d, { one: [], two: [] }]));
  for (const [kind, a, b, n] of rows[0]!.items ?? []) {
    const t = Number(a);
    if (kind >= ONE_D) {
      // One row per vector component: an item whose vector is that component alone.
      const v = Array<number>(WIDTHS[(kind - ONE_D) as Kind]).fill(0);
      v[Number(b)] = n;
      out.get(dayOf(t))?.one.push({ kind: (kind - ONE_D) as Kind, t, v });
    } else {
      const item = { fam: kind as Family, a: t, b: Number(b) };
      for (const d of new Set([dayOf(item.a), dayOf(item.b)])) out.get(d)?.two.push(item);
    }
  }
  return out;
}

/**
 * What a group commit changed in one customer's record, for the customers KPI trigger
 * (migration 10: customers.kpi_change), so that it moves the KPI rows of those orders,
 * ledger entries and badges without parsing the whole record: a purchase then costs the
 * same for a customer with one order or thousands. `whole`: the engine replaced every
 * order or the whole ledger (compaction, late replay), so the trigger compares the old and
 * new record itself.
 */
export interface KpiChange {
  whole: boolean;
  orders: Set<string>;
  /** The ledger's length before the group's first change. */
  ledgerFrom: number;
}

/** Notes `update`, about to be applied to `existing` (the record as the group has it so far). */
export function noteKpiChange(changes: Map<string, KpiChange>, customerId: string, existing: CustomerRecord | undefined, update: CustomerUpdate): void {
  let change = changes.get(customerId);
  if (!change) changes.set(customerId, (change = { whole: false, orders: new Set(), ledgerFrom: existing?.ledger?.length ?? 0 }));
  if (update.allOrders || update.ledger) change.whole = true;
  for (const id of Object.keys(update.orders ?? {})) change.orders.add(id);
}

/**
 * What makes each kpi_change this process writes differ from any other written before:
 * a random prefix drawn once per process, and a count. (Drawn per record, randomBytes
 * cost 1 % of the process's CPU under single events: a system call each on this machine.)
 */
const changePrefix = randomBytes(9).toString('base64url');
let changeCount = 0;

/**
 * customers.kpi_change for the record written: the changed orders as written, the
 * appended ledger entries, every badge. `n` makes each one differ from the last, which
 * the trigger takes for a row another writer left untouched (null: compare the records).
 */
export function kpiChangeJson(change: KpiChange | undefined, record: CustomerRecord | undefined): string | null {
  if (!change || change.whole || !record) return null;
  const orders: Record<string, unknown> = {};
  for (const id of change.orders) {
    const order = record.orders?.[id];
    if (order === undefined || !Object.hasOwn(record.orders!, id)) return null;
    Object.defineProperty(orders, id, { value: order, enumerable: true, configurable: true, writable: true });
  }
  const ledger = record.ledger ?? [];
  if (ledger.length < change.ledgerFrom) return null;
  return JSON.stringify({ n: `${changePrefix}.${++changeCount}`, orders, from: change.ledgerFrom, ledger: ledger.slice(change.ledgerFrom), badges: record.badges ?? {} });
}
