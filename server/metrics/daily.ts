// The KPIs' customer figures from per-day pre-aggregates, so a request costs the
// days of its period, not its orders or customers (issue 20: ≤ 300 ms at any size;
// issue 15: the same in PostgreSQL). Both stores keep the same aggregates (lowdb
// in memory, server/metrics/rollup.ts; PostgreSQL in tables a trigger keeps,
// server/store/pg/kpis.ts) and both answer through customerPointsFromDays below:
// one definition of how a window's figures come out of them.
//
// What each customer contributes (itemsOf), all exact integers or point sums:
// - per order, on its UTC day: 1, attributed (any), recognition, one per source;
// - per customer, on the day of the first order: in a cohort, repeated within 30
//   days, not repeated (pending is the not-repeated part after now − 30 days);
// - per ledger entry and badge, on its day: the points moved, the badge;
// - pairs (a, b) of times, counted per (day of a, day of b):
//     GAP1  (previous order, order), GAP2 (the order two before, order),
//     KEPT1/KEPT2 the same over the orders not refunded in full,
//     RETAINED (first order, earliest later kept order).
// Distinct counts then come out of pair counts, exactly:
//   buyers(w)    = orders in w − orders in w whose previous order is in w
//   repeaters(w) = pairs of GAP1 inside w − pairs of GAP2 inside w
//                  (customers with ≥ 2 orders in w: their second order in w)
//   kept ≥ 2     = the same over kept orders;  retention = RETAINED pairs with
//                  the first order in w and the later kept order before the period's end.
// Windows are instants, not days: a day a boundary cuts through (items on both
// sides of it) is read item by item (`exact`), every other day as its aggregate.
// A boundary at midnight, or one with all of its day's items on one side (the
// usual "to = now"), cuts nothing.
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource } from '../loyalty/engine/customer.js';
import { MARKET_WINDOW_DAYS, REPEAT_WINDOW_DAYS, rate, type CustomerPoints, type Window } from './engine.js';

export const DAY_MS = 86_400_000;
const SPAN = REPEAT_WINDOW_DAYS * DAY_MS;
const MARKET_WINDOW_MS = MARKET_WINDOW_DAYS * DAY_MS;
export const dayOf = (t: number) => Math.floor(t / DAY_MS);

/** One-dimensional aggregates, by the day of their time. */
export const ORDER = 0;
export const FIRST = 1;
export const BADGE = 2;
export const LEDGER = 3;
export type Kind = typeof ORDER | typeof FIRST | typeof BADGE | typeof LEDGER;
/** Pair families, by (day of a, day of b). */
export const GAP1 = 0;
export const GAP2 = 1;
export const KEPT1 = 2;
export const KEPT2 = 3;
export const RETAINED = 4;
export type Family = typeof GAP1 | typeof GAP2 | typeof KEPT1 | typeof KEPT2 | typeof RETAINED;

/** ORDER vectors: purchases, attributed to a source, recognition, then one count per ATTRIBUTION_SOURCES. */
export const ORDER_WIDTH = 3 + ATTRIBUTION_SOURCES.length;
/** FIRST vectors: cohort, repeated within 30 days, not repeated. */
export const FIRST_WIDTH = 3;
/** LEDGER vectors: issued, redeemed, clawed back, expired (engine.ts pointsIn's signs). */
export const LEDGER_WIDTH = 4;
export const WIDTHS: Record<Kind, number> = { [ORDER]: ORDER_WIDTH, [FIRST]: FIRST_WIDTH, [BADGE]: 1, [LEDGER]: LEDGER_WIDTH };
export const LEDGER_KINDS = ['earn', 'redeem', 'clawback', 'expire'] as const;

export interface KpiOrder {
  orderId: string;
  at: number;
  /** Not refunded in full (engine.ts keptOf). */
  kept: boolean;
  src: AttributionSource | undefined;
  /** Spent a reward code this customer redeemed. */
  loyalty: boolean;
}
export interface Item1 {
  kind: Kind;
  t: number;
  v: readonly number[];
}
export interface Item2 {
  fam: Family;
  a: number;
  b: number;
}
export interface Items {
  one: Item1[];
  two: Item2[];
}

/** An order's ORDER vector for these sources (engine.ts sourcesOf and conversionIn). */
export function orderVector(src: AttributionSource | undefined, loyalty: boolean, market: boolean, group: boolean): number[] {
  const sources = new Set<AttributionSource>();
  if (src) sources.add(src);
  if (market) sources.add('market');
  if (loyalty) sources.add('loyalty');
  if (group) sources.add('group');
  const v = Array<number>(ORDER_WIDTH).fill(0);
  v[0] = 1;
  v[1] = sources.size > 0 ? 1 : 0;
  v[2] = [...sources].some((s) => RECOGNITION_SOURCES.has(s)) ? 1 : 0;
  ATTRIBUTION_SOURCES.forEach((s, i) => (v[3 + i] = sources.has(s) ? 1 : 0));
  return v;
}

/** engine.ts's order of a customer's orders: oldest first, ties by order id. */
export const byTime = (a: KpiOrder, b: KpiOrder) => a.at - b.at || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/**
 * A customer's FIRST item and RETAINED pair: from its first two dated orders and
 * its first two kept ones (`kept` is `dated`'s subsequence of kept orders, the
 * same objects), so a roll-up kept current order by order reads them in O(1).
 */
export function firstItems(dated: readonly KpiOrder[], kept: readonly KpiOrder[]): { one?: Item1; two?: Item2 } {
  const first = dated[0];
  if (!first) return {};
  const second = dated[1];
  const repeated = second !== undefined && second.at <= first.at + SPAN;
  // The earliest later order not refunded in full.
  const keptLater = kept[0] === first ? kept[1] : kept[0];
  return {
    one: { kind: FIRST, t: first.at, v: [1, repeated ? 1 : 0, repeated ? 0 : 1] },
    ...(keptLater && { two: { fam: RETAINED, a: first.at, b: keptLater.at } }),
  };
}

/** A ledger entry's LEDGER item (undefined: a kind or time that counts nowhere). */
export function ledgerItem(e: { at: number; kind: string; points: number }): Item1 | undefined {
  const k = LEDGER_KINDS.indexOf(e.kind as (typeof LEDGER_KINDS)[number]);
  if (k < 0 || !Number.isFinite(e.at)) return undefined;
  const v = [0, 0, 0, 0];
  v[k] = k === 0 ? e.points : 0 - e.points;
  return { kind: LEDGER, t: e.at, v };
}

/** An order's ORDER item, with the sources its record holds (other documents' are added at request time). */
export const orderItem = (o: KpiOrder): Item1 => ({ kind: ORDER, t: o.at, v: orderVector(o.src, o.loyalty, false, false) });

/**
 * A customer's contributions. `orders` sorted by byTime; orders, ledger entries
 * and badges without a valid time count nowhere (as in the engine's windows).
 */
export function itemsOf(orders: readonly KpiOrder[], ledger: readonly { at: number; kind: string; points: number }[], badges: readonly number[]): Items {
  const one: Item1[] = [];
  const two: Item2[] = [];
  const dated = orders.filter((o) => Number.isFinite(o.at));
  const kept = dated.filter((o) => o.kept);
  dated.forEach((o, i) => {
    one.push(orderItem(o));
    if (i >= 1) two.push({ fam: GAP1, a: dated[i - 1]!.at, b: o.at });
    if (i >= 2) two.push({ fam: GAP2, a: dated[i - 2]!.at, b: o.at });
  });
  kept.forEach((o, i) => {
    if (i >= 1) two.push({ fam: KEPT1, a: kept[i - 1]!.at, b: o.at });
    if (i >= 2) two.push({ fam: KEPT2, a: kept[i - 2]!.at, b: o.at });
  });
  const first = firstItems(dated, kept);
  if (first.one) one.push(first.one);
  if (first.two) two.push(first.two);
  for (const e of ledger) {
    const item = ledgerItem(e);
    if (item) one.push(item);
  }
  for (const t of badges) if (Number.isFinite(t)) one.push({ kind: BADGE, t, v: [1] });
  return { one, two };
}

/** Where a boundary falls among its day's items: all before it (-1), all at or after it (1), or some each (0: the day is read exactly). */
export type Side = -1 | 0 | 1;

/** What customerPointsFromDays reads: a store's aggregates, as of one consistent state. */
export interface DayAggregates {
  /** Σ of the `kind` vectors on day d (undefined: none). */
  day(kind: Kind, d: number): readonly number[] | undefined;
  /** Pair counts of `fam` whose a falls on day d: [day of b, count]. */
  pairs(fam: Family, aDay: number): Iterable<readonly [number, number]> | undefined;
  /** side(t) for a boundary t that is not midnight (only the period's edges and now − 30 days + 1 ms are asked). */
  side(t: number): Side;
  /** Every item on a day some boundary cuts: one-dimensional items of the day, pairs with a or b on it. */
  exact(d: number): Items;
  /** A customer's orders (for attribution kept in other documents: market visits, group orders). */
  orders(customerId: string): readonly KpiOrder[];
}

/** The boundaries a store must answer side() for, and the cut days it must answer exact() for. */
export function boundariesOf(windows: readonly Window[], now: number): number[] {
  const period = windows[0]!;
  return [...new Set([period.start, period.end, now - SPAN + 1])].filter((t) => t % DAY_MS !== 0);
}

/** Attribution kept outside the customer records: group orders and market visits (KpiContext). */
export interface Attribution {
  groupOrders: readonly { customerId: string; orderId: string }[];
  marketVisits?: ReadonlyMap<string, readonly number[]>;
}

/** The customers whose orders attribution from other documents may change. */
export function attributedCustomers(context: Attribution): string[] {
  return [...new Set([...context.groupOrders.map((g) => g.customerId), ...(context.marketVisits?.keys() ?? [])])];
}

const NONE = 0;
const ALL = 1;
const CUT = 2;

/** engine.ts customerPointsIn for metricWindows(), from a store's day aggregates. */
export function customerPointsFromDays(src: DayAggregates, windows: readonly Window[], now: number, context: Attribution): CustomerPoints[] {
  const period = windows[0]!;
  const side = (t: number): Side => (t % DAY_MS === 0 ? 1 : src.side(t));
  /** How day d's items stand to w: none inside, all inside, or cut. */
  const cls = (d: number, w: Window): number => {
    const ds = dayOf(w.start);
    const de = dayOf(w.end);
    if (!(w.end > w.start) || d < ds || d > de) return NONE;
    const lo = d > ds ? 1 : side(w.start);
    const hi = d < de ? -1 : side(w.end);
    if (lo === -1 || hi === 1) return NONE;
    return lo === 0 || hi === 0 ? CUT : ALL;
  };
  const inside = (t: number, w: Window) => t >= w.start && t < w.end;
  // A cut day's items by kind and by family, sorted once per request.
  const exactDays = new Map<number, { one: Item1[][]; two: Item2[][] }>();
  const exactOf = (d: number) => {
    let e = exactDays.get(d);
    if (!e) {
      const items = src.exact(d);
      e = { one: [[], [], [], []], two: [[], [], [], [], []] };
      for (const i of items.one) e.one[i.kind]!.push(i);
      for (const i of items.two) e.two[i.fam]!.push(i);
      exactDays.set(d, e);
    }
    return e as unknown as { one: Record<Kind, Item1[]>; two: Record<Family, Item2[]> };
  };

  const sum = (kind: Kind, w: Window): number[] => {
    const out = Array<number>(WIDTHS[kind]).fill(0);
    if (!(w.end > w.start)) return out;
    for (let d = dayOf(w.start); d <= dayOf(w.end); d++) {
      const c = cls(d, w);
      if (c === ALL) {
        const v = src.day(kind, d);
        if (v) for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
      } else if (c === CUT) {
        for (const item of exactOf(d).one[kind]) if (inside(item.t, w)) for (let i = 0; i < out.length; i++) out[i]! += item.v[i]!;
      }
    }
    return out;
  };

  /** Pairs of `fam` with a in A and b in B. */
  const rect = (fam: Family, A: Window, B: Window): number => {
    let n = 0;
    for (let d = dayOf(A.start); d <= dayOf(A.end); d++) {
      if (cls(d, A) !== ALL) continue;
      for (const [bDay, count] of src.pairs(fam, d) ?? []) if (cls(bDay, B) === ALL) n += count;
    }
    const cut = new Set<number>();
    for (const t of [A.start, A.end, B.start, B.end]) if (cls(dayOf(t), A) === CUT || cls(dayOf(t), B) === CUT) cut.add(dayOf(t));
    for (const d of cut) {
      for (const item of exactOf(d).two[fam]) {
        const aDay = dayOf(item.a);
        // A pair on two cut days is listed on both: counted on the day of a.
        if (aDay !== d && cut.has(aDay)) continue;
        const ca = cls(aDay, A);
        const cb = cls(dayOf(item.b), B);
        if ((ca === CUT || cb === CUT) && ca !== NONE && cb !== NONE && inside(item.a, A) && inside(item.b, B)) n++;
      }
    }
    return n;
  };

  // Orders whose sources other documents add to: their ORDER vector moves from the stored one to the full one.
  const groupOrders = new Set(context.groupOrders.map((g) => `${g.customerId}\u0000${g.orderId}`));
  const corrections: { at: number; delta: number[] }[] = [];
  for (const customerId of attributedCustomers(context)) {
    const visits = context.marketVisits?.get(customerId) ?? [];
    for (const o of src.orders(customerId)) {
      if (!Number.isFinite(o.at) || !inside(o.at, period)) continue;
      const market = visits.some((v) => v <= o.at && o.at - v <= MARKET_WINDOW_MS);
      const group = groupOrders.has(`${customerId}\u0000${o.orderId}`);
      if (!market && !group) continue;
      const full = orderVector(o.src, o.loyalty, market, group);
      const base = orderVector(o.src, o.loyalty, false, false);
      corrections.push({ at: o.at, delta: full.map((x, i) => x - base[i]!) });
    }
  }

  const pendingFrom = now - SPAN + 1;
  const untilPeriod: Window = { start: period.start, end: period.end };
  return windows.map((w) => {
    const orders = sum(ORDER, w);
    for (const c of corrections) if (inside(c.at, w)) for (let i = 0; i < ORDER_WIDTH; i++) orders[i]! += c.delta[i]!;
    const purchases = orders[0]!;
    const gap1 = rect(GAP1, w, w);
    const buyers = purchases - gap1;
    const repeaters = gap1 - rect(GAP2, w, w);
    const kept2 = rect(KEPT1, w, w) - rect(KEPT2, w, w);
    const [cohort, repeated] = sum(FIRST, w) as [number, number, number];
    const pending = sum(FIRST, { start: Math.max(w.start, pendingFrom), end: w.end })[2]!;
    const retained = rect(RETAINED, w, untilPeriod);
    const [issued, redeemed, clawedBack, expired] = sum(LEDGER, w) as [number, number, number, number];
    return {
      returnCorrected: { buyers, retained: kept2, rate: rate(kept2, buyers) },
      retention: { cohort, retained, rate: rate(retained, cohort) },
      repeat: { customers: buyers, repeaters, rate: rate(repeaters, buyers) },
      repeat30: { cohort, repeated, pending, rate: rate(repeated, cohort - pending) },
      conversion: {
        purchases,
        recognition: { purchases: orders[2]!, rate: rate(orders[2]!, purchases) },
        sources: Object.fromEntries(ATTRIBUTION_SOURCES.map((s, i) => [s, { purchases: orders[3 + i]!, rate: rate(orders[3 + i]!, purchases) }])) as CustomerPoints['conversion']['sources'],
        any: { purchases: orders[1]!, rate: rate(orders[1]!, purchases) },
      },
      badges: sum(BADGE, w)[0]!,
      points: { issued, redeemed, clawedBack, expired },
    };
  });
}
