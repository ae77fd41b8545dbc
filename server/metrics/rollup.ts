// KPI roll-ups for a store that holds its customer records in this process (lowdb),
// so GET /v1/metrics reads what the period touches instead of every record, and
// never holds the event loop for long (issue 20: "KPIs never block").
//
// Kept beside the store, fed by its customer changes (Store.customerChanges: told
// synchronously as each change applies in memory, whatever wrote it: events,
// history import, erasure, store copy, a rolled-back write). A change only marks
// the customer dirty (O(1) on the write path); dirty customers are summarized in
// the background, a slice at a time with yields, and before any metrics request
// reads. A summary is the customer's orders, ledger entries and badges as sorted
// numbers, and each shop indexes its summaries by UTC day (days with an order,
// the day of the first order, days with ledger entries, days with badges), so a
// window reads only the customers active in it. Figures are computed from the
// summaries with exactly the engine's definitions (server/metrics/engine.ts
// customerPointsIn, the reference; test/server/kpi-rollup.test.ts compares the
// two on randomized dated data), and attribution that lives in other documents
// (share-to-save groups, market visits) is joined at request time, as the engine
// does, so a late group or check-in is counted without any roll-up to fix.
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource, type CustomerRecord } from '../loyalty/engine/customer.js';
import type { CustomerChange, CustomerChanges, KpiContext, Store } from '../store/store.js';
import { MARKET_WINDOW_DAYS, REPEAT_WINDOW_DAYS, keptOf, rate, type CustomerPoints, type PointsPoint, type Window } from './engine.js';

const DAY_MS = 86_400_000;
const MARKET_WINDOW_MS = MARKET_WINDOW_DAYS * DAY_MS;
/** Customers summarized, or read, between two yields to the event loop. */
const SLICE = 1_000;

const RECOGNIZED = { market: RECOGNITION_SOURCES.has('market'), loyalty: RECOGNITION_SOURCES.has('loyalty'), group: RECOGNITION_SOURCES.has('group') };

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface OrderFact {
  orderId: string;
  at: number;
  kept: boolean;
  src: AttributionSource | undefined;
  /** Spent a reward code this customer redeemed. */
  loyalty: boolean;
}
interface LedgerFact {
  at: number;
  kind: string;
  points: number;
}

interface Summary {
  customerId: string;
  /** Oldest first, ties by order id: the engine's order. */
  orders: OrderFact[];
  ledger: LedgerFact[];
  /** Times badges were awarded, ascending. */
  badges: number[];
  /** Earliest later order (after the first) not refunded in full: retention. */
  keptLaterAt: number;
  /** The last read that listed this summary (activeIn), so a customer active on several days is read once. */
  seen: number;
}

const day = (t: number) => Math.floor(t / DAY_MS);
const daysOf = (times: Iterable<number>) => new Set([...times].filter(Number.isFinite).map(day));

function summarize(record: CustomerRecord): Summary {
  const redeemed = new Set((record.ledger ?? []).flatMap((e) => (e.kind === 'redeem' && e.code !== undefined ? [e.code] : [])));
  const orders = Object.entries(record.orders ?? {})
    .map(([orderId, o]) => ({
      orderId,
      at: Date.parse(o.at),
      kept: keptOf(o),
      src: o.src || undefined,
      loyalty: Boolean(o.code) && redeemed.has(o.code!),
    }))
    .sort((a, b) => a.at - b.at || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  let keptLaterAt = Infinity;
  for (let i = 1; i < orders.length; i++) if (orders[i]!.kept && orders[i]!.at < keptLaterAt) keptLaterAt = orders[i]!.at;
  return {
    customerId: record.customerId,
    orders,
    ledger: (record.ledger ?? []).map((e) => ({ at: Date.parse(e.at), kind: e.kind, points: e.points })).sort((a, b) => a.at - b.at),
    badges: Object.values(record.badges ?? {})
      .map((b) => Date.parse(b.awardedAt))
      .sort((a, b) => a - b),
    keptLaterAt,
    seen: 0,
  };
}

/** First index whose time is ≥ t (times ascending). */
function lowerBound<T>(items: readonly T[], t: number, at: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(items[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type DayIndex = Map<number, Set<Summary>>;

const put = (index: DayIndex, days: Iterable<number>, s: Summary) => {
  for (const d of days) {
    let set = index.get(d);
    if (!set) index.set(d, (set = new Set()));
    set.add(s);
  }
};
const drop = (index: DayIndex, days: Iterable<number>, s: Summary) => {
  for (const d of days) {
    const set = index.get(d);
    set?.delete(s);
    if (set?.size === 0) index.delete(d);
  }
};

let reads = 0;

/** The customers of `index` on any UTC day [start, end) touches, each once. */
function activeIn(index: DayIndex, w: Window): Summary[] {
  const out: Summary[] = [];
  if (!(w.end > w.start)) return out;
  const read = ++reads;
  const add = (set: Set<Summary>) => {
    for (const s of set) {
      if (s.seen === read) continue;
      s.seen = read;
      out.push(s);
    }
  };
  const first = day(w.start);
  const last = day(w.end - 1);
  // A window longer than the index holds days: walk the index instead of the calendar.
  if (last - first + 1 > index.size) {
    for (const [d, set] of index) if (d >= first && d <= last) add(set);
  } else {
    for (let d = first; d <= last; d++) {
      const set = index.get(d);
      if (set) add(set);
    }
  }
  return out;
}

/** One shop's summaries and day indexes. */
class ShopRollup {
  readonly summaries = new Map<string, Summary>();
  readonly orderDays: DayIndex = new Map();
  readonly firstDays: DayIndex = new Map();
  readonly ledgerDays: DayIndex = new Map();
  readonly badgeDays: DayIndex = new Map();
  /** Customer id → its newest record (undefined: deleted), not summarized yet. */
  dirty = new Map<string, CustomerRecord | undefined>();
  /** Serializes summarizing and reading, so a request computes on one consistent state across its yields. */
  private turn: Promise<unknown> = Promise.resolve();

  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.turn.then(run);
    this.turn = result.catch(() => {});
    return result;
  }

  private index(s: Summary, add: boolean): void {
    const op = add ? put : drop;
    op(this.orderDays, daysOf(s.orders.map((o) => o.at)), s);
    if (s.orders.length > 0) op(this.firstDays, daysOf([s.orders[0]!.at]), s);
    op(this.ledgerDays, daysOf(s.ledger.map((e) => e.at)), s);
    op(this.badgeDays, daysOf(s.badges), s);
  }

  apply(customerId: string, record: CustomerRecord | undefined): void {
    const before = this.summaries.get(customerId);
    if (before) this.index(before, false);
    if (!record) {
      this.summaries.delete(customerId);
      return;
    }
    const after = summarize(record);
    this.summaries.set(customerId, after);
    this.index(after, true);
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
      return pointsOf(shop, windows, now, context);
    });
  }
}

async function pointsOf(shop: ShopRollup, windows: readonly Window[], now: number, context: KpiContext): Promise<CustomerPoints[]> {
  const until = windows[0]!.end;
  const span = REPEAT_WINDOW_DAYS * DAY_MS;
  const groupOrders = new Set(context.groupOrders.map((g) => `${g.customerId}\u0000${g.orderId}`));
  const visits = context.marketVisits;
  let work = 0;
  const inside = (t: number, w: Window) => t >= w.start && t < w.end;
  const out: CustomerPoints[] = Array(windows.length);
  // metricWindows' weeks tile the period: every figure but the distinct buyers adds up over
  // the weeks, so the period's pass only counts its buyers (half the reading).
  const [period, ...weeks] = windows;
  const tiled = weeks.length > 0 && weeks[0]!.start === period!.start && weeks.at(-1)!.end === period!.end && weeks.every((w, k) => k === 0 || w.start === weeks[k - 1]!.end);
  const order = tiled ? [...weeks.keys()].map((k) => k + 1).concat(0) : [...windows.keys()];
  for (const index of order) {
    const w = windows[index]!;
    const full = !(tiled && index === 0);
    // Retention and repeat within 30 days: the customers whose first order falls in w.
    let cohort = 0;
    let retained = 0;
    let repeated = 0;
    let pending = 0;
    for (const s of full ? activeIn(shop.firstDays, w) : []) {
      const first = s.orders[0]!;
      if (!inside(first.at, w)) continue;
      cohort++;
      if (s.keptLaterAt < until) retained++;
      const second = s.orders[1];
      if (second && second.at <= first.at + span) repeated++;
      else if (first.at + span > now) pending++;
      if (++work >= SLICE) (work = 0), await yieldToLoop();
    }
    // The window's buyers and their orders in it.
    let buyers = 0;
    let kept2 = 0;
    let repeaters = 0;
    let purchases = 0;
    let any = 0;
    let recognition = 0;
    const counts = Object.fromEntries(ATTRIBUTION_SOURCES.map((src) => [src, 0])) as Record<AttributionSource, number>;
    for (const s of activeIn(shop.orderDays, w)) {
      const from = lowerBound(s.orders, w.start, (o) => o.at);
      const to = lowerBound(s.orders, w.end, (o) => o.at);
      if (to <= from) continue;
      buyers++;
      let kept = 0;
      const customerVisits = visits?.get(s.customerId) ?? [];
      for (let i = from; i < to; i++) {
        const o = s.orders[i]!;
        if (o.kept) kept++;
        if (!full) continue;
        purchases++;
        // sourcesOf, without a set per order: kudos_src, then market, loyalty and group when not that already.
        const market = customerVisits.length > 0 && customerVisits.some((v) => v <= o.at && o.at - v <= MARKET_WINDOW_MS);
        const group = groupOrders.size > 0 && groupOrders.has(`${s.customerId}\u0000${o.orderId}`);
        if (o.src) counts[o.src]++;
        if (market && o.src !== 'market') counts.market++;
        if (o.loyalty && o.src !== 'loyalty') counts.loyalty++;
        if (group && o.src !== 'group') counts.group++;
        if (o.src || market || o.loyalty || group) any++;
        if ((o.src && RECOGNITION_SOURCES.has(o.src)) || (market && RECOGNIZED.market) || (o.loyalty && RECOGNIZED.loyalty) || (group && RECOGNIZED.group)) recognition++;
      }
      if (to - from > 1) repeaters++;
      if (kept >= 2) kept2++;
      if ((work += 1 + (to - from) / 16) >= SLICE) (work = 0), await yieldToLoop();
    }
    let badges = 0;
    for (const s of full ? activeIn(shop.badgeDays, w) : []) {
      badges += lowerBound(s.badges, w.end, (t) => t) - lowerBound(s.badges, w.start, (t) => t);
      if (++work >= SLICE) (work = 0), await yieldToLoop();
    }
    const points: PointsPoint = { issued: 0, redeemed: 0, clawedBack: 0, expired: 0 };
    for (const s of full ? activeIn(shop.ledgerDays, w) : []) {
      for (let i = lowerBound(s.ledger, w.start, (e) => e.at); i < s.ledger.length && s.ledger[i]!.at < w.end; i++) {
        const e = s.ledger[i]!;
        if (e.kind === 'earn') points.issued += e.points;
        else if (e.kind === 'redeem') points.redeemed -= e.points;
        else if (e.kind === 'clawback') points.clawedBack -= e.points;
        else if (e.kind === 'expire') points.expired -= e.points;
      }
      if (++work >= SLICE) (work = 0), await yieldToLoop();
    }
    if (!full) {
      for (const k of weeks.keys()) {
        const p = out[k + 1]!;
        cohort += p.retention.cohort;
        retained += p.retention.retained;
        repeated += p.repeat30.repeated;
        pending += p.repeat30.pending;
        purchases += p.conversion.purchases;
        any += p.conversion.any.purchases;
        recognition += p.conversion.recognition.purchases;
        for (const src of ATTRIBUTION_SOURCES) counts[src] += p.conversion.sources[src].purchases;
        badges += p.badges;
        points.issued += p.points.issued;
        points.redeemed += p.points.redeemed;
        points.clawedBack += p.points.clawedBack;
        points.expired += p.points.expired;
      }
    }
    out[index] = {
      returnCorrected: { buyers, retained: kept2, rate: rate(kept2, buyers) },
      retention: { cohort, retained, rate: rate(retained, cohort) },
      repeat: { customers: buyers, repeaters, rate: rate(repeaters, buyers) },
      repeat30: { cohort, repeated, pending, rate: rate(repeated, cohort - pending) },
      conversion: {
        purchases,
        recognition: { purchases: recognition, rate: rate(recognition, purchases) },
        sources: Object.fromEntries(ATTRIBUTION_SOURCES.map((src) => [src, { purchases: counts[src], rate: rate(counts[src], purchases) }])) as CustomerPoints['conversion']['sources'],
        any: { purchases: any, rate: rate(any, purchases) },
      },
      badges,
      points,
    };
  }
  return out;
}

const rollups = new WeakMap<Store, KpiRollups>();

/** The store's roll-ups, when it tells its customer changes (lowdb); undefined otherwise (PostgreSQL aggregates in SQL). */
export function rollupsOf(store: Store): KpiRollups | undefined {
  if (!store.customerChanges) return undefined;
  let r = rollups.get(store);
  if (!r) rollups.set(store, (r = new KpiRollups(store.customerChanges)));
  return r;
}

/** Start-up: build every shop's roll-up in the background, so the first request does not pay for it. */
export async function warmRollups(store: Store): Promise<void> {
  const r = rollupsOf(store);
  if (!r) return;
  for (const shop of await store.listShops()) await r.warm(shop.id);
}
