// KPI roll-ups for a store that holds its customer records in this process (lowdb),
// so GET /v1/metrics costs the days of its period, not its orders or customers, and
// never holds the event loop for long (issue 20: "KPIs never block").
//
// Kept beside the store, fed by its customer changes (Store.customerChanges: told
// synchronously as each change applies in memory, whatever wrote it: events,
// history import, erasure, store copy, a rolled-back write). A change only marks
// the customer dirty (O(1) on the write path); dirty customers are applied in the
// background, a slice at a time with yields, and before any metrics request reads.
// A record an event changed in place (the change says what it added) moves only
// that into the shop's per-day aggregates: a purchase adds its order, the pairs it
// closes with the orders before it, its ledger entry (O(1) in the customer's
// orders: issue 20, a purchase for a customer with 10 k orders as fast as for a new
// one). A record new, replaced or deleted is read whole: what it contributes
// (server/metrics/daily.ts itemsOf) before and after is compared, and only the
// difference moves.
// A request then reads those aggregates (daily.ts customerPointsFromDays, the
// definitions; test/server/kpi-rollup.test.ts compares it with the engine on
// randomized dated data) plus, item by item, the customers active on a day one of
// its boundaries cuts through. Attribution that lives in other documents (share-
// to-save groups, market visits) is joined at request time, as the engine does.
import type { CustomerRecord, CustomerUpdate, LedgerEntry, OrderRecord } from '../loyalty/engine/customer.js';
import { StoreClosed, type CustomerChange, type CustomerChanges, type KpiContext, type Store } from '../store/store.js';
import { keptOf, type CustomerPoints, type Window } from './engine.js';
import { Periodic } from '../periodic.js';
import { lowerBound } from '../sorted.js';
import { DayTimes } from './day-times.js';
import {
  BADGE,
  FIRST,
  GAP1,
  GAP2,
  KEPT1,
  KEPT2,
  byTime,
  customerPointsFromDays,
  dayOf,
  firstItems,
  itemsOf,
  ledgerItem,
  orderItem,
  type DayAggregates,
  type Family,
  type Item1,
  type Item2,
  type Items,
  type Kind,
  type KpiOrder,
  type Side,
} from './daily.js';

/**
 * How long a drain may hold the event loop before it yields. Measured, not
 * counted: a customer changed in place costs microseconds, one read whole costs
 * its orders, and a count of 1 000 customers held the loop 51 ms under batched
 * ingest (bench/ingest.mjs --stalls).
 */
const SLICE_MS = 4;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a customer's contributions are computed from (its record, reduced), kept current change by change. */
interface Entry {
  customerId: string;
  /** The record it was read from: a change to another object (replaced whole) is read whole. */
  source: CustomerRecord;
  /** Every order, by id (also those without a valid time). */
  byId: Map<string, KpiOrder>;
  /** The orders with a valid time, byTime: GAP pairs are neighbours here. */
  dated: KpiOrder[];
  /** Of those, the kept ones, byTime: KEPT pairs are neighbours here. */
  kept: KpiOrder[];
  /** The record's ledger entries read so far (it only grows between whole changes). */
  ledger: { at: number; kind: string; points: number }[];
  /** Reward codes this customer redeemed, and the orders that spent each code (an order's `loyalty`); absent while none (most customers). */
  redeemed?: Set<string>;
  spentBy?: Map<string, Set<string>>;
  /** Badge times by badge id, with the text each was parsed from: a change compares the text (parsing every badge's time again per purchase was half of applying it). */
  badges: Map<string, { at: string; t: number }>;
  /** UTC day → how many of its times fall on it: where exact() finds it. */
  days: Map<number, number>;
}

const kpiOrder = (orderId: string, o: OrderRecord, redeemed: ReadonlySet<string> | undefined): KpiOrder => ({
  orderId,
  at: Date.parse(o.at),
  kept: keptOf(o),
  src: o.src || undefined,
  loyalty: Boolean(o.code) && redeemed !== undefined && redeemed.has(o.code!),
});
/** Notes that `orderId` spent `code`. */
function spends(e: Pick<Entry, 'spentBy'>, code: string, orderId: string): void {
  const orders = (e.spentBy ??= new Map()).get(code);
  if (orders) orders.add(orderId);
  else e.spentBy.set(code, new Set([orderId]));
}
const reduced = (e: LedgerEntry) => ({ at: Date.parse(e.at), kind: e.kind, points: e.points });
const sameOrder = (a: KpiOrder, b: KpiOrder) => a.at === b.at && a.kept === b.kept && a.src === b.src && a.loyalty === b.loyalty;

function entryOf(record: CustomerRecord): Entry {
  const codes = (record.ledger ?? []).flatMap((e) => (e.kind === 'redeem' && e.code !== undefined ? [e.code] : []));
  const redeemed = codes.length > 0 ? new Set(codes) : undefined;
  const byId = new Map<string, KpiOrder>();
  const spending: Pick<Entry, 'spentBy'> = {};
  for (const [orderId, o] of Object.entries(record.orders ?? {})) {
    byId.set(orderId, kpiOrder(orderId, o, redeemed));
    if (o.code) spends(spending, o.code, orderId);
  }
  const dated = [...byId.values()].filter((o) => Number.isFinite(o.at)).sort(byTime);
  const ledger = (record.ledger ?? []).map(reduced);
  const badges = new Map(Object.entries(record.badges ?? {}).map(([id, b]) => [id, { at: b.awardedAt, t: Date.parse(b.awardedAt) }]));
  const days = new Map<number, number>();
  for (const t of [...dated.map((o) => o.at), ...ledger.map((e) => e.at), ...[...badges.values()].map((b) => b.t)]) {
    if (Number.isFinite(t)) days.set(dayOf(t), (days.get(dayOf(t)) ?? 0) + 1);
  }
  return { customerId: record.customerId, source: record, byId, dated, kept: dated.filter((o) => o.kept), ledger, redeemed, spentBy: spending.spentBy, badges, days };
}

/** Where `o` is, or goes, in a byTime array. */
const indexOf = (seq: readonly KpiOrder[], o: KpiOrder): number => lowerBound(seq, (x) => byTime(x, o) < 0);

/** The pairs (previous, order) and (two before, order) of `seq` for the orders at lo..hi. */
function neighbourPairs(seq: readonly KpiOrder[], lo: number, hi: number, one: Family, two: Family): Item2[] {
  const out: Item2[] = [];
  for (let j = Math.max(lo, 1); j <= Math.min(hi, seq.length - 1); j++) {
    out.push({ fam: one, a: seq[j - 1]!.at, b: seq[j]!.at });
    if (j >= 2) out.push({ fam: two, a: seq[j - 2]!.at, b: seq[j]!.at });
  }
  return out;
}

const itemsOfEntry = (e: Entry): Items => itemsOf(e.dated, e.ledger, [...e.badges.values()].map((b) => b.t));
/** Two FIRST items alike (compared per purchase: most leave it as it was). */
const sameFirst = (a: Item1, b: Item1) => a.t === b.t && a.v[0] === b.v[0] && a.v[1] === b.v[1] && a.v[2] === b.v[2];
const key1 = (i: Item1) => `${i.kind}|${i.t}|${i.v.join(',')}`;
const key2 = (i: Item2) => `p${i.fam}|${i.a}|${i.b}`;

/** A customer to apply: its record, and the orders changed in place (undefined: read it whole). */
interface Dirty {
  record: CustomerRecord | undefined;
  orders?: Set<string>;
}

/** One shop's per-day aggregates. */
class ShopRollup {
  readonly entries = new Map<string, Entry>();
  /** Per kind: day → { items, Σ vectors }. */
  readonly one: Map<number, { n: number; v: number[] }>[] = [new Map(), new Map(), new Map(), new Map()];
  /** Per family: day of a → day of b → pairs. */
  readonly two: Map<number, Map<number, number>>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
  /** Day → the times of its one-dimensional items (where a boundary falls: side()). */
  readonly times = new Map<number, DayTimes>();
  /** Day → customers with a time on it. */
  readonly dayCustomers = new Map<number, Set<string>>();
  /** Customer id → its newest record (undefined: deleted) and what changed in it, not applied yet. */
  dirty = new Map<string, Dirty>();
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
    if (!times) this.times.set(d, (times = new DayTimes()));
    if (sign > 0) times.add(item.t);
    else times.remove(item.t);
    if (times.size === 0) this.times.delete(d);
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

  /** Notes a change (O(1)): applied by the next drain. */
  mark(customerId: string, record: CustomerRecord | undefined, update?: CustomerUpdate): void {
    const earlier = this.dirty.get(customerId);
    const inPlace =
      record !== undefined &&
      update !== undefined &&
      !update.allOrders &&
      !update.ledger &&
      (earlier === undefined || (earlier.orders !== undefined && earlier.record === record));
    if (!inPlace) return void this.dirty.set(customerId, { record });
    const dirty = earlier ?? { record, orders: new Set<string>() };
    for (const id of Object.keys(update.orders ?? {})) dirty.orders!.add(id);
    this.dirty.set(customerId, dirty);
  }

  apply(customerId: string, dirty: Dirty): void {
    const entry = this.entries.get(customerId);
    // A record changed in place since it was read: only what the changes touched moves,
    // so a purchase costs the same for a customer with 1 or 10 000 orders (issue 20).
    if (entry && dirty.orders && entry.source === dirty.record) this.applyInPlace(entry, dirty.record, dirty.orders);
    else this.applyWhole(customerId, dirty.record);
  }

  /**
   * The record's changes since `e` read it, which only add to it (a store marks
   * anything else whole): ledger entries past those read, the changed orders, its
   * badges. Reads the record as it is now, so applying it twice changes nothing.
   */
  private applyInPlace(e: Entry, record: CustomerRecord, orderIds: Iterable<string>): void {
    const ledger = record.ledger ?? [];
    for (let i = e.ledger.length; i < ledger.length; i++) {
      const entry = ledger[i]!;
      const r = reduced(entry);
      e.ledger.push(r);
      const item = ledgerItem(r);
      if (item) this.move1(item, 1);
      this.moveTime(e, r.at, 1);
      if (entry.kind === 'redeem' && entry.code !== undefined && !e.redeemed?.has(entry.code)) {
        (e.redeemed ??= new Set()).add(entry.code);
        // Orders that spent the code count for loyalty now.
        for (const id of e.spentBy?.get(entry.code) ?? []) this.setOrder(e, id, record);
      }
    }
    for (const id of orderIds) {
      const code = record.orders && Object.hasOwn(record.orders, id) ? record.orders[id]!.code : undefined;
      if (code) spends(e, code, id);
      this.setOrder(e, id, record);
    }
    const badges = record.badges ?? {};
    for (const [id, { at, t }] of e.badges) {
      if (Object.hasOwn(badges, id) && badges[id]!.awardedAt === at) continue;
      if (Number.isFinite(t)) this.move1({ kind: BADGE, t, v: [1] }, -1);
      this.moveTime(e, t, -1);
      e.badges.delete(id);
    }
    for (const id of Object.keys(badges)) {
      if (e.badges.has(id)) continue;
      const at = badges[id]!.awardedAt;
      const t = Date.parse(at);
      if (Number.isFinite(t)) this.move1({ kind: BADGE, t, v: [1] }, 1);
      this.moveTime(e, t, 1);
      e.badges.set(id, { at, t });
    }
  }

  /** Order `id` as the record holds it now: its item, its place among the customer's orders and the pairs around it. */
  private setOrder(e: Entry, id: string, record: CustomerRecord): void {
    const prev = e.byId.get(id);
    const order = record.orders && Object.hasOwn(record.orders, id) ? record.orders[id] : undefined;
    const next = order ? kpiOrder(id, order, e.redeemed) : undefined;
    if (prev && next && sameOrder(prev, next)) return;
    const first = firstItems(e.dated, e.kept);
    if (prev && Number.isFinite(prev.at)) {
      this.move1(orderItem(prev), -1);
      this.moveTime(e, prev.at, -1);
      this.remove(e.dated, prev, GAP1, GAP2);
      if (prev.kept) this.remove(e.kept, prev, KEPT1, KEPT2);
    }
    e.byId.delete(id);
    if (next) {
      e.byId.set(id, next);
      if (Number.isFinite(next.at)) {
        this.move1(orderItem(next), 1);
        this.moveTime(e, next.at, 1);
        this.insert(e.dated, next, GAP1, GAP2);
        if (next.kept) this.insert(e.kept, next, KEPT1, KEPT2);
      }
    }
    const after = firstItems(e.dated, e.kept);
    if (!first.one || !after.one || !sameFirst(first.one, after.one)) {
      if (first.one) this.move1(first.one, -1);
      if (after.one) this.move1(after.one, 1);
    }
    if (!first.two || !after.two || first.two.a !== after.two.a || first.two.b !== after.two.b) {
      if (first.two) this.move2(first.two, -1);
      if (after.two) this.move2(after.two, 1);
    }
  }

  /** Takes `o` out of a byTime sequence: the pairs that spanned it go, the pair that now closes the gap comes. */
  private remove(seq: KpiOrder[], o: KpiOrder, one: Family, two: Family): void {
    const i = indexOf(seq, o);
    for (const pair of neighbourPairs(seq, i, i + 2, one, two)) this.move2(pair, -1);
    seq.splice(i, 1);
    for (const pair of neighbourPairs(seq, i, i + 1, one, two)) this.move2(pair, 1);
  }

  /** Puts `o` in its place in a byTime sequence (at the end for a new purchase): the reverse of remove. */
  private insert(seq: KpiOrder[], o: KpiOrder, one: Family, two: Family): void {
    const i = indexOf(seq, o);
    for (const pair of neighbourPairs(seq, i, i + 1, one, two)) this.move2(pair, -1);
    seq.splice(i, 0, o);
    for (const pair of neighbourPairs(seq, i, i + 2, one, two)) this.move2(pair, 1);
  }

  /** Counts a time of the customer on its day (exact() reads the customers of a cut day). */
  private moveTime(e: Entry, t: number, sign: 1 | -1): void {
    if (!Number.isFinite(t)) return;
    const d = dayOf(t);
    const n = (e.days.get(d) ?? 0) + sign;
    if (n > 0) e.days.set(d, n);
    else e.days.delete(d);
    if (n === 1 && sign > 0) {
      let set = this.dayCustomers.get(d);
      if (!set) this.dayCustomers.set(d, (set = new Set()));
      set.add(e.customerId);
    } else if (n === 0) {
      const set = this.dayCustomers.get(d);
      set?.delete(e.customerId);
      if (set?.size === 0) this.dayCustomers.delete(d);
    }
  }

  /** A customer read whole (new, replaced, deleted, or first seen): its items before and after are compared. */
  private applyWhole(customerId: string, record: CustomerRecord | undefined): void {
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
    for (const d of before?.days.keys() ?? []) {
      if (after?.days.has(d)) continue;
      const set = this.dayCustomers.get(d);
      set?.delete(customerId);
      if (set?.size === 0) this.dayCustomers.delete(d);
    }
    for (const d of after?.days.keys() ?? []) {
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
        return times ? times.side(t) : 1;
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
      orders: (customerId: string) => this.entries.get(customerId)?.dated ?? [],
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
    shop.mark(change.customerId, change.record, change.update);
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
      for (const record of this.source.customers(shopId)) shop.dirty.set(record.customerId, { record });
      this.shops.set(shopId, shop);
    }
    return shop;
  }

  /** Summarizes what changed, a slice at a time (what changes meanwhile waits for the next drain). */
  private async drain(shop: ShopRollup): Promise<void> {
    const batch = shop.dirty;
    shop.dirty = new Map();
    let sliceStart = performance.now();
    for (const [customerId, dirty] of batch) {
      shop.apply(customerId, dirty);
      if (performance.now() - sliceStart >= SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
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
