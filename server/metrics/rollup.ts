// KPI roll-ups for a store that holds its customer records in this process (lowdb),
// so GET /v1/metrics costs the days of its period, not its orders or customers, and
// never holds the event loop for long (issue 20: "KPIs never block").
//
// Kept beside the store, fed by its customer changes (Store.customerChanges: told
// synchronously as each change applies in memory, whatever wrote it: events,
// history import, erasure, store copy, a rolled-back write). A change only marks
// the customer dirty (O(1) on the write path); dirty customers are applied in the
// background, a slice at a time with yields, and before any metrics request reads.
// Applying a customer compares what it contributes (server/metrics/daily.ts
// itemsOf) before and after, and moves only the difference into each shop's
// per-day aggregates: a purchase adds its order, its pairs and its ledger entry.
// A request then reads those aggregates (daily.ts customerPointsFromDays, the
// definitions; test/server/kpi-rollup.test.ts compares it with the engine on
// randomized dated data) plus, item by item, the customers active on a day one of
// its boundaries cuts through. Attribution that lives in other documents (share-
// to-save groups, market visits) is joined at request time, as the engine does.
import type { CustomerRecord } from '../loyalty/engine/customer.js';
import { StoreClosed, type CustomerChange, type CustomerChanges, type KpiContext, type Store } from '../store/store.js';
import { keptOf, type CustomerPoints, type Window } from './engine.js';
import { Periodic } from '../periodic.js';
import {
  FIRST,
  byTime,
  customerPointsFromDays,
  dayOf,
  itemsOf,
  type DayAggregates,
  type Family,
  type Item1,
  type Item2,
  type Items,
  type Kind,
  type KpiOrder,
  type Side,
} from './daily.js';

/** Work (customers, or their orders / 16) between two yields to the event loop. */
const SLICE = 1_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a customer's contributions are computed from (its record, reduced). */
interface Entry {
  customerId: string;
  /** byTime order. */
  orders: KpiOrder[];
  ledger: { at: number; kind: string; points: number }[];
  badges: number[];
  /** UTC days with any of its times: where exact() finds it. */
  days: Set<number>;
}

function entryOf(record: CustomerRecord): Entry {
  const redeemed = new Set((record.ledger ?? []).flatMap((e) => (e.kind === 'redeem' && e.code !== undefined ? [e.code] : [])));
  const orders = Object.entries(record.orders ?? {})
    .map(([orderId, o]) => ({ orderId, at: Date.parse(o.at), kept: keptOf(o), src: o.src || undefined, loyalty: Boolean(o.code) && redeemed.has(o.code!) }))
    .sort(byTime);
  const ledger = (record.ledger ?? []).map((e) => ({ at: Date.parse(e.at), kind: e.kind, points: e.points }));
  const badges = Object.values(record.badges ?? {}).map((b) => Date.parse(b.awardedAt));
  const days = new Set([...orders.map((o) => o.at), ...ledger.map((e) => e.at), ...badges].filter(Number.isFinite).map(dayOf));
  return { customerId: record.customerId, orders, ledger, badges, days };
}

const itemsOfEntry = (e: Entry): Items => itemsOf(e.orders, e.ledger, e.badges);
const key1 = (i: Item1) => `${i.kind}|${i.t}|${i.v.join(',')}`;
const key2 = (i: Item2) => `p${i.fam}|${i.a}|${i.b}`;

/** First index whose value is ≥ t (ascending). */
function lowerBound(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One shop's per-day aggregates. */
class ShopRollup {
  readonly entries = new Map<string, Entry>();
  /** Per kind: day → { items, Σ vectors }. */
  readonly one: Map<number, { n: number; v: number[] }>[] = [new Map(), new Map(), new Map(), new Map()];
  /** Per family: day of a → day of b → pairs. */
  readonly two: Map<number, Map<number, number>>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
  /** Day → the times of its one-dimensional items, ascending (where a boundary falls: side()). */
  readonly times = new Map<number, number[]>();
  /** Day → customers with a time on it. */
  readonly dayCustomers = new Map<number, Set<string>>();
  /** Customer id → its newest record (undefined: deleted), not applied yet. */
  dirty = new Map<string, CustomerRecord | undefined>();
  /** Serializes applying and reading, so a request computes on one consistent state. */
  private turn: Promise<unknown> = Promise.resolve();

  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.turn.then(run);
    this.turn = result.catch(() => {});
    return result;
  }

  private move1(item: Item1, sign: 1 | -1): void {
    const d = dayOf(item.t);
    const byDay = this.one[item.kind]!;
    let cell = byDay.get(d);
    if (!cell) byDay.set(d, (cell = { n: 0, v: Array<number>(item.v.length).fill(0) }));
    cell.n += sign;
    for (let i = 0; i < item.v.length; i++) cell.v[i]! += sign * item.v[i]!;
    if (cell.n === 0) byDay.delete(d);
    // FIRST items repeat an order's time: the order's item marks it.
    if (item.kind === FIRST) return;
    let times = this.times.get(d);
    if (!times) this.times.set(d, (times = []));
    const at = lowerBound(times, item.t);
    if (sign > 0) times.splice(at, 0, item.t);
    else if (times[at] === item.t) times.splice(at, 1);
    if (times.length === 0) this.times.delete(d);
  }

  private move2(item: Item2, sign: 1 | -1): void {
    const byA = this.two[item.fam]!;
    const a = dayOf(item.a);
    const b = dayOf(item.b);
    let row = byA.get(a);
    if (!row) byA.set(a, (row = new Map()));
    const n = (row.get(b) ?? 0) + sign;
    if (n === 0) row.delete(b);
    else row.set(b, n);
    if (row.size === 0) byA.delete(a);
  }

  apply(customerId: string, record: CustomerRecord | undefined): void {
    const before = this.entries.get(customerId);
    const after = record ? entryOf(record) : undefined;
    // What the customer contributed, by key, less what it contributes now: only the difference moves.
    const gone = new Map<string, Item1 | Item2>();
    const old = before ? itemsOfEntry(before) : { one: [], two: [] };
    const now = after ? itemsOfEntry(after) : { one: [], two: [] };
    const pending = new Map<string, number>();
    for (const i of old.one) pending.set(key1(i), (pending.get(key1(i)) ?? 0) + 1), gone.set(key1(i), i);
    for (const i of old.two) pending.set(key2(i), (pending.get(key2(i)) ?? 0) + 1), gone.set(key2(i), i);
    for (const i of now.one) {
      const k = key1(i);
      const left = pending.get(k) ?? 0;
      if (left > 0) pending.set(k, left - 1);
      else this.move1(i, 1);
    }
    for (const i of now.two) {
      const k = key2(i);
      const left = pending.get(k) ?? 0;
      if (left > 0) pending.set(k, left - 1);
      else this.move2(i, 1);
    }
    for (const [k, left] of pending) {
      const item = gone.get(k)!;
      for (let n = 0; n < left; n++) ('kind' in item ? this.move1(item, -1) : this.move2(item, -1));
    }
    for (const d of before?.days ?? []) {
      if (after?.days.has(d)) continue;
      const set = this.dayCustomers.get(d);
      set?.delete(customerId);
      if (set?.size === 0) this.dayCustomers.delete(d);
    }
    for (const d of after?.days ?? []) {
      if (before?.days.has(d)) continue;
      let set = this.dayCustomers.get(d);
      if (!set) this.dayCustomers.set(d, (set = new Set()));
      set.add(customerId);
    }
    if (after) this.entries.set(customerId, after);
    else this.entries.delete(customerId);
  }

  /** The aggregates as daily.ts reads them, for one request (items of a customer computed once). */
  view(): DayAggregates {
    const items = new Map<Entry, Items>();
    const exact = new Map<number, Items>();
    const itemsOfCustomer = (e: Entry) => {
      let i = items.get(e);
      if (!i) items.set(e, (i = itemsOfEntry(e)));
      return i;
    };
    return {
      day: (kind: Kind, d: number) => this.one[kind]!.get(d)?.v,
      pairs: (fam: Family, aDay: number) => this.two[fam]!.get(aDay)?.entries(),
      side: (t: number): Side => {
        const times = this.times.get(dayOf(t));
        if (!times) return 1;
        const i = lowerBound(times, t);
        return i === 0 ? 1 : i === times.length ? -1 : 0;
      },
      exact: (d: number) => {
        let out = exact.get(d);
        if (out) return out;
        out = { one: [], two: [] };
        for (const customerId of this.dayCustomers.get(d) ?? []) {
          const all = itemsOfCustomer(this.entries.get(customerId)!);
          for (const i of all.one) if (dayOf(i.t) === d) out.one.push(i);
          for (const i of all.two) if (dayOf(i.a) === d || dayOf(i.b) === d) out.two.push(i);
        }
        exact.set(d, out);
        return out;
      },
      orders: (customerId: string) => this.entries.get(customerId)?.orders ?? [],
    };
  }
}

/** The roll-ups of one store: every shop's, built on first use, then kept current. */
export class KpiRollups {
  private readonly shops = new Map<string, ShopRollup>();
  private drainScheduled = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly source: CustomerChanges) {
    this.unsubscribe = source.subscribe((change) => this.changed(change));
  }

  close(): void {
    this.unsubscribe();
    this.shops.clear();
  }

  private changed(change: CustomerChange): void {
    if (change === 'reset') {
      // A rolled-back write reloaded the store: rebuild each shop from what it holds now.
      this.shops.clear();
      return;
    }
    const shop = this.shops.get(change.shopId);
    // A shop not built yet reads its records when it is.
    if (!shop) return;
    shop.dirty.set(change.customerId, change.record);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      for (const shop of this.shops.values()) if (shop.dirty.size > 0) void shop.exclusive(() => this.drain(shop)).catch(() => {});
    }).unref?.();
  }

  private shop(shopId: string): ShopRollup {
    let shop = this.shops.get(shopId);
    if (!shop) {
      shop = new ShopRollup();
      // Synchronous with the subscription's view: a change from here on marks the customer dirty again.
      for (const record of this.source.customers(shopId)) shop.dirty.set(record.customerId, record);
      this.shops.set(shopId, shop);
    }
    return shop;
  }

  /** Summarizes what changed, a slice at a time (what changes meanwhile waits for the next drain). */
  private async drain(shop: ShopRollup): Promise<void> {
    const batch = shop.dirty;
    shop.dirty = new Map();
    let work = 0;
    for (const [customerId, record] of batch) {
      shop.apply(customerId, record);
      work += 1 + Object.keys(record?.orders ?? {}).length / 16;
      if (work >= SLICE) {
        work = 0;
        await yieldToLoop();
      }
    }
  }

  /** Builds a shop's roll-up ahead of its first request (start-up), off the request path. */
  warm(shopId: string): Promise<void> {
    const shop = this.shop(shopId);
    return shop.exclusive(() => this.drain(shop));
  }

  /** engine.ts customerPointsIn for these windows, from the roll-up: every change made before this call is counted. */
  customerPoints(shopId: string, windows: readonly Window[], now: number, context: KpiContext): Promise<CustomerPoints[]> {
    const shop = this.shop(shopId);
    return shop.exclusive(async () => {
      await this.drain(shop);
      return customerPointsFromDays(shop.view(), windows, now, context);
    });
  }
}

const rollups = new WeakMap<Store, KpiRollups>();

/** The store's roll-ups, when it tells its customer changes (lowdb); undefined otherwise (PostgreSQL aggregates in SQL). */
export function rollupsOf(store: Store): KpiRollups | undefined {
  if (!store.customerChanges) return undefined;
  let r = rollups.get(store);
  if (!r) rollups.set(store, (r = new KpiRollups(store.customerChanges)));
  return r;
}

/** How often a server folds what writers set aside for the KPIs (PostgreSQL), when no request did meanwhile. */
const FOLD_EVERY_MS = 15_000;

/**
 * Start-up: build every shop's roll-up in the background, so the first request does
 * not pay for it (lowdb); or fold the KPI deltas writers left, then keep folding
 * them now and then until the store closes (PostgreSQL).
 */
export async function warmRollups(store: Store): Promise<void> {
  const fold = store.kpis?.fold?.bind(store.kpis);
  if (fold) {
    // A failed fold is left for the next pass (the deltas stay, reads sum them); a closed store ends the runs.
    const stopOnClose = (error: unknown) => (error instanceof StoreClosed ? 'stop' : undefined);
    const folding = new Periodic(fold, FOLD_EVERY_MS, stopOnClose);
    folding.start();
    await fold().catch((error) => {
      if (stopOnClose(error)) void folding.stop();
    });
    return;
  }
  const r = rollupsOf(store);
  if (!r) return;
  for (const shop of await store.listShops()) await r.warm(shop.id);
}
