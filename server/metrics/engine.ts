// The shop's KPIs as pure functions over what the store keeps: customer records
// (orders with their attribution, ledgers, badges), survey tallies, share-to-save
// groups and trophy awards. No I/O and no clock: the caller passes the period and
// `now`. Every definition here is the one docs/console.md's "KPIs" section states.
import { ATTRIBUTION_SOURCES, RECOGNITION_SOURCES, type AttributionSource, type CustomerRecord, type OrderRecord } from '../loyalty/engine/customer.js';
import type { Group } from '../share-save/engine.js';
import { npsOf, weekStart, type SurveyTally } from '../surveys/engine.js';
import type { AwardDocument } from '../trophies/schemas.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
export const REPEAT_WINDOW_DAYS = 30;

export interface MetricsInput {
  customers: readonly CustomerRecord[];
  /** Weekly NPS tallies of every survey: Monday (YYYY-MM-DD) → responses per score 0–10. */
  npsWeeks: readonly Record<string, number[]>[];
  /** Daily NPS tallies of the same surveys, in the same order (undefined for a tally older than daily buckets). */
  npsDays?: readonly (Record<string, number[]> | undefined)[];
  /** Of those daily tallies, per channel (in-cart, post-delivery), in the same order. */
  npsChannels?: readonly (SurveyTally['channelDays'] | undefined)[];
  groups: readonly Group[];
  trophyAwards: readonly AwardDocument[];
  /** Customer id → times (ms) they checked in at a market stall (visits linked to them, or made under their id). */
  marketVisits?: ReadonlyMap<string, readonly number[]>;
  /**
   * The customer-record figures already computed where the records are (the
   * PostgreSQL store aggregates them in SQL, server/store/pg/kpis.ts), one per
   * window of metricWindows(), in its order: then `customers` is not read.
   */
  customerPoints?: readonly CustomerPoints[];
}

/** What the KPIs take from customer records, for one window. */
export interface CustomerPoints {
  returnCorrected: ReturnCorrectedPoint;
  retention: RetentionPoint;
  repeat: RepeatPoint;
  repeat30: Repeat30Point;
  conversion: ConversionPoint;
  /** Badges earned in the window. */
  badges: number;
  points: PointsPoint;
}

/** A purchase this soon after a check-in at a stall counts for the market, link or no link. */
export const MARKET_WINDOW_DAYS = 30;
const MARKET_WINDOW_MS = MARKET_WINDOW_DAYS * 86_400_000;

export interface Period {
  from: Date;
  to: Date;
  now: Date;
}

/** Rates are fractions (0.25 = 25 %) to four decimals; null when there is nothing to divide by. */
export const rate = (count: number, total: number): number | null => (total > 0 ? Math.round((count / total) * 10_000) / 10_000 : null);

export interface RetentionPoint {
  cohort: number;
  retained: number;
  rate: number | null;
}
export interface ReturnCorrectedPoint {
  /** Customers with an order placed in the period. */
  buyers: number;
  /** Of them, those with two or more orders placed in the period that were not refunded in full. */
  retained: number;
  rate: number | null;
}
export interface RepeatPoint {
  customers: number;
  repeaters: number;
  rate: number | null;
}
export interface Repeat30Point {
  cohort: number;
  repeated: number;
  /** Cohort members whose 30 days are not over yet and who have not come back: left out of the rate. */
  pending: number;
  rate: number | null;
}
export interface NpsFigures {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
}
export interface NpsPoint extends NpsFigures {
  /** Answers in the cart (a cart survey or a display the cart showed), apart. */
  inCart: NpsFigures;
  /** Answers on the hosted post-delivery page (signed links in the shop's emails), apart. */
  postDelivery: NpsFigures;
}
export interface ConversionPoint {
  purchases: number;
  /**
   * The headline: purchases from loyalty and recognition — a reward code the
   * customer redeemed, a badge or trophy link (`kudos_src` loyalty, badge, trophy).
   */
  recognition: { purchases: number; rate: number | null };
  sources: Record<AttributionSource, { purchases: number; rate: number | null }>;
  /** Purchases attributed to at least one source. */
  any: { purchases: number; rate: number | null };
}
export interface AwardsPoint {
  badges: number;
  trophies: number;
  total: number;
}
export interface PointsPoint {
  issued: number;
  redeemed: number;
  clawedBack: number;
  expired: number;
}
export interface GroupsPoint {
  created: number;
  unlocked: number;
  rate: number | null;
}

type Kpi<P> = P & { series: (P & { weekStart: string })[] };

export interface Metrics {
  from: string;
  to: string;
  /** Mondays (UTC) of the weeks the period touches; every series has one point per week. */
  weeks: string[];
  /** The shop's four KPIs, defined in `definitions`. */
  returnCorrectedRetention: Kpi<ReturnCorrectedPoint>;
  retention: Kpi<RetentionPoint>;
  repeatPurchase: Kpi<RepeatPoint>;
  repeat30: Kpi<Repeat30Point>;
  nps: Kpi<NpsPoint>;
  communityConversion: Kpi<ConversionPoint>;
  awards: Kpi<AwardsPoint>;
  points: Kpi<PointsPoint>;
  groupUnlock: Kpi<GroupsPoint>;
  /** What each number means, in words a shop owner reads next to it. */
  definitions: typeof KPI_DEFINITIONS;
}

export const KPI_DEFINITIONS = {
  returnCorrectedRetention:
    'Return-corrected retention: among the customers who ordered in the period, the share with at least two orders placed in the period that were not refunded in full.',
  nps:
    'Experience NPS: % promoters (9–10) minus % detractors (0–6) among the survey answers given in the period (by each answer\'s own UTC day), every survey together; beside it, in-cart answers (a cart survey or a display in the cart) and post-delivery answers (the hosted page the shop\'s emails link to), each apart.',
  forecastAccuracy:
    'Forecast accuracy: the share of SKUs with a stock level whose stock days (units on hand ÷ forecast daily demand, at the period\'s end or now) fall inside the shop\'s target range; beside it, the WAPE of the demand forecast made at the period\'s start (exponential smoothing of daily sales before it) against the units sold in the period\'s whole days: Σ|sold − forecast| ÷ Σ sold.',
  communityConversion:
    'Community conversion rate: the share of the period\'s orders that came from loyalty and recognition — a reward code the customer redeemed, or a badge or trophy link (kudos_src loyalty, badge, trophy). Group, directory and market orders are shown beside it in sources, never added to it.',
  retention: 'First-order cohort retention: among customers whose first order fell in the period, those who ordered again (not refunded in full) before the period ended.',
  repeatPurchase: 'Among customers who ordered in the period, those with two or more orders in it (refunds not counted).',
} as const;

export interface Window {
  start: number;
  end: number;
}

interface OrderFacts {
  orderId: string;
  at: number;
  /** Some of it is still paid for: not refunded in full (a free order counts unless refunded). */
  kept: boolean;
  sources: Set<AttributionSource>;
}

interface CustomerFacts {
  record: CustomerRecord;
  /** Oldest first. */
  orders: OrderFacts[];
}

export const keptOf = (o: OrderRecord) => o.refunded < o.total || (o.total === 0 && o.refunded === 0);

/**
 * The sources an order counts for: its `kudos_src`; loyalty also when it spent
 * a reward code this customer redeemed; group also when a share-to-save group
 * recorded it as spending a member's code; market also when it came within
 * MARKET_WINDOW_DAYS of the customer's check-in at a stall.
 */
function sourcesOf(
  customer: CustomerRecord,
  orderId: string,
  order: OrderRecord,
  groupOrders: Set<string>,
  visits: readonly number[],
): Set<AttributionSource> {
  const sources = new Set<AttributionSource>();
  if (order.src) sources.add(order.src);
  const at = Date.parse(order.at);
  if (visits.some((v) => v <= at && at - v <= MARKET_WINDOW_MS)) sources.add('market');
  if (order.code && (customer.ledger ?? []).some((e) => e.kind === 'redeem' && e.code === order.code)) sources.add('loyalty');
  if (groupOrders.has(`${customer.customerId}\u0000${orderId}`)) sources.add('group');
  return sources;
}

function factsOf(input: MetricsInput): CustomerFacts[] {
  const groupOrders = new Set<string>();
  for (const group of input.groups) {
    for (const m of group.members) if (m.usedOrderId) groupOrders.add(`${m.customerId}\u0000${m.usedOrderId}`);
  }
  return input.customers.map((record) => ({
    record,
    orders: Object.entries(record.orders ?? {})
      .map(([orderId, o]) => ({
        orderId,
        at: Date.parse(o.at),
        kept: keptOf(o),
        sources: sourcesOf(record, orderId, o, groupOrders, input.marketVisits?.get(record.customerId) ?? []),
      }))
      .sort((a, b) => a.at - b.at || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)),
  }));
}

const inside = (t: number, w: Window) => t >= w.start && t < w.end;

/** Among customers whose first purchase falls in `w`: those with a later purchase before `until` not refunded in full. */
function retentionIn(facts: readonly CustomerFacts[], w: Window, until: number): RetentionPoint {
  let cohort = 0;
  let retained = 0;
  for (const { orders } of facts) {
    const first = orders[0];
    if (!first || !inside(first.at, w)) continue;
    cohort++;
    if (orders.slice(1).some((o) => o.at < until && o.kept)) retained++;
  }
  return { cohort, retained, rate: rate(retained, cohort) };
}

/** Among the buyers of `w`: those with two or more orders in `w` not refunded in full (a refunded first order does not make a repeat). */
function returnCorrectedIn(facts: readonly CustomerFacts[], w: Window): ReturnCorrectedPoint {
  let buyers = 0;
  let retained = 0;
  for (const { orders } of facts) {
    const inPeriod = orders.filter((o) => inside(o.at, w));
    if (inPeriod.length === 0) continue;
    buyers++;
    if (inPeriod.filter((o) => o.kept).length >= 2) retained++;
  }
  return { buyers, retained, rate: rate(retained, buyers) };
}

/** Among customers with a purchase in `w`: those with two or more purchases in `w`. */
function repeatIn(facts: readonly CustomerFacts[], w: Window): RepeatPoint {
  let customers = 0;
  let repeaters = 0;
  for (const { orders } of facts) {
    const n = orders.filter((o) => inside(o.at, w)).length;
    if (n > 0) customers++;
    if (n > 1) repeaters++;
  }
  return { customers, repeaters, rate: rate(repeaters, customers) };
}

/** Among customers whose first purchase falls in `w`: those who bought again within 30 days of it. */
function repeat30In(facts: readonly CustomerFacts[], w: Window, now: number): Repeat30Point {
  let cohort = 0;
  let repeated = 0;
  let pending = 0;
  const span = REPEAT_WINDOW_DAYS * DAY_MS;
  for (const { orders } of facts) {
    const first = orders[0];
    if (!first || !inside(first.at, w)) continue;
    cohort++;
    if (orders.slice(1).some((o) => o.at <= first.at + span)) repeated++;
    else if (first.at + span > now) pending++;
  }
  return { cohort, repeated, pending, rate: rate(repeated, cohort - pending) };
}

/**
 * Answers whose own day falls in `w` (UTC days starting inside it: exact for
 * periods given as dates). A tally from before daily buckets counts only the
 * weeks wholly inside `w`, never a week that reaches outside it.
 */
function npsIn(input: MetricsInput, w: Window): NpsPoint {
  const counts: number[] = Array(11).fill(0);
  const add = (bucket: readonly number[] | undefined) => (bucket ?? []).forEach((c, score) => (counts[score] += c));
  const channel = (key: 'cart' | 'post-delivery'): NpsFigures => {
    const c: number[] = Array(11).fill(0);
    for (const tally of input.npsChannels ?? []) {
      for (const [day, bucket] of Object.entries(tally?.[key] ?? {})) if (inside(Date.parse(`${day}T00:00:00Z`), w)) bucket.forEach((n, score) => (c[score] += n));
    }
    const { responses, promoters, passives, detractors, nps } = npsOf(c);
    return { responses, promoters, passives, detractors, nps };
  };
  input.npsWeeks.forEach((weeks, i) => {
    const days = input.npsDays?.[i];
    if (days) {
      for (const [day, bucket] of Object.entries(days)) if (inside(Date.parse(`${day}T00:00:00Z`), w)) add(bucket);
      return;
    }
    for (const [monday, bucket] of Object.entries(weeks)) {
      const start = Date.parse(`${monday}T00:00:00Z`);
      if (start >= w.start && start + WEEK_MS <= w.end) add(bucket);
    }
  });
  const { responses, promoters, passives, detractors, nps } = npsOf(counts);
  return { responses, promoters, passives, detractors, nps, inCart: channel('cart'), postDelivery: channel('post-delivery') };
}

/** Purchases in `w`, and how many each source brought. */
function conversionIn(facts: readonly CustomerFacts[], w: Window): ConversionPoint {
  let purchases = 0;
  let any = 0;
  let recognition = 0;
  const counts = Object.fromEntries(ATTRIBUTION_SOURCES.map((s) => [s, 0])) as Record<AttributionSource, number>;
  for (const { orders } of facts) {
    for (const o of orders) {
      if (!inside(o.at, w)) continue;
      purchases++;
      if (o.sources.size > 0) any++;
      if ([...o.sources].some((s) => RECOGNITION_SOURCES.has(s))) recognition++;
      for (const s of o.sources) counts[s]++;
    }
  }
  const sources = Object.fromEntries(
    ATTRIBUTION_SOURCES.map((s) => [s, { purchases: counts[s], rate: rate(counts[s], purchases) }]),
  ) as ConversionPoint['sources'];
  return { purchases, recognition: { purchases: recognition, rate: rate(recognition, purchases) }, sources, any: { purchases: any, rate: rate(any, purchases) } };
}

function badgesIn(facts: readonly CustomerFacts[], w: Window): number {
  let badges = 0;
  for (const { record } of facts) for (const b of Object.values(record.badges)) if (inside(Date.parse(b.awardedAt), w)) badges++;
  return badges;
}

/** Badges earned and trophies awarded in `w` (and not revoked since). */
function awardsIn(badges: number, trophyAwards: MetricsInput['trophyAwards'], w: Window): AwardsPoint {
  const trophies = trophyAwards.filter((a) => !a.revokedAt && inside(Date.parse(a.awardedAt), w)).length;
  return { badges, trophies, total: badges + trophies };
}

/** Ledger movements in `w`: points earned, spent on rewards, taken back by refunds, expired. */
function pointsIn(facts: readonly CustomerFacts[], w: Window): PointsPoint {
  const p: PointsPoint = { issued: 0, redeemed: 0, clawedBack: 0, expired: 0 };
  for (const { record } of facts) {
    for (const e of record.ledger ?? []) {
      if (!inside(Date.parse(e.at), w)) continue;
      if (e.kind === 'earn') p.issued += e.points;
      else if (e.kind === 'redeem') p.redeemed -= e.points;
      else if (e.kind === 'clawback') p.clawedBack -= e.points;
      else if (e.kind === 'expire') p.expired -= e.points;
    }
  }
  return p;
}

/** Groups started in `w`, and how many of them reached their first tier (at any time). */
function groupsIn(groups: MetricsInput['groups'], w: Window): GroupsPoint {
  const started = groups.filter((g) => inside(Date.parse(g.createdAt), w));
  const unlocked = started.filter((g) => g.unlockedAt !== undefined).length;
  return { created: started.length, unlocked, rate: rate(unlocked, started.length) };
}

/** Mondays (UTC, YYYY-MM-DD) of every week that [from, to) touches. */
export function weeksOf(from: Date, to: Date): string[] {
  const weeks: string[] = [];
  for (let t = Date.parse(`${weekStart(from)}T00:00:00Z`); t < to.getTime(); t += WEEK_MS) {
    weeks.push(new Date(t).toISOString().slice(0, 10));
  }
  return weeks;
}

/**
 * The windows every KPI is computed over: the whole period first, then the part
 * of each week (weeksOf) inside it. Each week's point uses the same definition.
 */
export function metricWindows(from: Date, to: Date): Window[] {
  const period: Window = { start: from.getTime(), end: to.getTime() };
  return [
    period,
    ...weeksOf(from, to).map((monday) => {
      const start = Date.parse(`${monday}T00:00:00Z`);
      return { start: Math.max(start, period.start), end: Math.min(start + WEEK_MS, period.end) };
    }),
  ];
}

/**
 * The customer-record figures of each window, from the records themselves (the
 * lowdb path; PostgreSQL computes the same in SQL). Retention looks for returns
 * until the period's end, repeat30 judges pending cohorts at `now`.
 */
export function customerPointsIn(customers: MetricsInput, windows: readonly Window[], now: number): CustomerPoints[] {
  const facts = factsOf(customers);
  const until = windows[0]!.end;
  return windows.map((w) => ({
    returnCorrected: returnCorrectedIn(facts, w),
    retention: retentionIn(facts, w, until),
    repeat: repeatIn(facts, w),
    repeat30: repeat30In(facts, w, now),
    conversion: conversionIn(facts, w),
    badges: badgesIn(facts, w),
    points: pointsIn(facts, w),
  }));
}

export function computeMetrics(input: MetricsInput, { from, to, now }: Period): Metrics {
  const weeks = weeksOf(from, to);
  const windows = metricWindows(from, to);
  const [period] = windows as [Window, ...Window[]];
  const points = input.customerPoints ?? customerPointsIn(input, windows, now.getTime());
  if (points.length !== windows.length) throw new Error('metrics: one customerPoints entry per window');
  const kpi = <P>(each: (w: Window, i: number) => P): Kpi<P> => ({
    ...each(period, 0),
    series: weeks.map((monday, i) => ({ weekStart: monday, ...each(windows[i + 1]!, i + 1) })),
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    weeks,
    returnCorrectedRetention: kpi((_w, i) => points[i]!.returnCorrected),
    retention: kpi((_w, i) => points[i]!.retention),
    repeatPurchase: kpi((_w, i) => points[i]!.repeat),
    repeat30: kpi((_w, i) => points[i]!.repeat30),
    nps: kpi((w) => npsIn(input, w)),
    communityConversion: kpi((_w, i) => points[i]!.conversion),
    awards: kpi((w, i) => awardsIn(points[i]!.badges, input.trophyAwards, w)),
    points: kpi((_w, i) => points[i]!.points),
    groupUnlock: kpi((w) => groupsIn(input.groups, w)),
    definitions: KPI_DEFINITIONS,
  };
}
