// What the store keeps per customer, and the event shape the engine reads.
// Events are rolled up (stats, orders, ledger entries) instead of being kept
// raw, so the data grows with customers and their activity, not with traffic.

/**
 * Per event type (or per type and property filter, see `statsKey`): how many
 * were seen, the running sum of each numeric property, and the weekly streak.
 */
export interface EventStats {
  count: number;
  sums: Record<string, number>;
  /** Consecutive ISO weeks with at least one event, ending at `lastWeek`. */
  streak?: { lastWeek: number; weeks: number };
}

export interface EarnedBadgeRecord {
  name: string;
  description?: string;
  icon?: string;
  awardedAt: string;
  eventId: string;
}

export type LedgerKind = 'earn' | 'clawback' | 'redeem' | 'expire' | 'carry';

/** One line of the points ledger; the balance is their sum, never a stored number. */
export interface LedgerEntry {
  kind: LedgerKind;
  points: number;
  at: string;
  /** The event that caused it. */
  eventId: string;
  /** Earned points become spendable then (pending period). */
  availableAt?: string;
  orderId?: string;
  rewardId?: string;
  /** Discount code a redemption produced. */
  code?: string;
  /** On a `carry` entry (older entries folded into one): points earned net of clawbacks, and spend net of refunds. */
  earned?: number;
  spend?: number;
}

/** Where a purchase came from, as the shop's checkout passed it on (`kudos_src`). */
export const ATTRIBUTION_SOURCES = ['directory', 'group', 'loyalty', 'market', 'trophy', 'badge'] as const;
/** Loyalty and recognition: the sources the community-conversion headline counts (the others stand beside it). */
export const RECOGNITION_SOURCES: ReadonlySet<AttributionSource> = new Set(['loyalty', 'trophy', 'badge']);
export type AttributionSource = (typeof ATTRIBUTION_SOURCES)[number];

export interface OrderRecord {
  total: number;
  currency?: string;
  at: string;
  points: number;
  refunded: number;
  clawedBack: number;
  // Attribution (optional: orders stored before it existed have none).
  /** `kudos_src` of the purchase, when it was one of ATTRIBUTION_SOURCES. */
  src?: AttributionSource;
  /** `kudos_ref`: the directory origin, group code, check-in point id… */
  ref?: string;
  /** `discountCode` spent on the order: a reward code or a share-to-save code. */
  code?: string;
}

const MAX_REF_LENGTH = 200;

/** The attribution a purchase event carries; unknown sources are dropped, not stored. */
export function attributionOf(event: EngineEvent): Pick<OrderRecord, 'src' | 'ref' | 'code'> {
  const p = event.properties ?? {};
  const src = ATTRIBUTION_SOURCES.find((s) => s === p.kudos_src);
  const ref = typeof p.kudos_ref === 'string' && p.kudos_ref ? p.kudos_ref.slice(0, MAX_REF_LENGTH) : undefined;
  const code = typeof p.discountCode === 'string' && p.discountCode ? p.discountCode.slice(0, MAX_REF_LENGTH) : undefined;
  return { ...(src && { src }), ...(ref && { ref }), ...(code && { code }) };
}

export interface CustomerRecord {
  customerId: string;
  createdAt: string;
  updatedAt: string;
  stats: Record<string, EventStats>;
  badges: Record<string, EarnedBadgeRecord>;
  ledger?: LedgerEntry[];
  orders?: Record<string, OrderRecord>;
  lastActivityAt?: string;
  /** What capped earn rules paid today (engine/points.ts `pointsFor`); only today's day is kept. */
  earnCaps?: EarnCapUsage;
  /**
   * Refunds that arrived before their order (platforms deliver out of order):
   * taken off when the order comes. At most MAX_REFUNDS_AHEAD.
   */
  refundsAhead?: Record<string, { amount: number; at: string; eventId: string }>;
  /**
   * The earliest time of an order or of a ledger entry other than a carry: whether
   * there is anything to compact is then one comparison, not a scan of 10 k orders
   * per event (issue 20). Kept by the engine as it adds; absent on records written
   * before it existed (found by one scan at their next event) or holding neither.
   */
  oldestAt?: string;
}

/** Per UTC day: per capped rule, how many events it paid and for which targets. */
export interface EarnCapUsage {
  day: string;
  rules: Record<string, { paid: number; targets?: string[] }>;
}

export interface EngineEvent {
  id: string;
  type: string;
  properties?: Record<string, string | number | boolean | null>;
  occurredAt?: string;
}

export function newCustomer(customerId: string, now: string): CustomerRecord {
  return { customerId, createdAt: now, updatedAt: now, stats: {}, badges: {} };
}

// Sums are mostly money; keep them to a cent so 0.1 + 0.2 style drift never
// decides whether a badge is earned.
export const roundMoney = (n: number) => Math.round(n * 100) / 100;

const DAY_MS = 86_400_000;

/** ISO week number since the epoch: weeks start on Monday (1970-01-01 was a Thursday). */
export const weekOf = (iso: string) => Math.floor((Math.floor(Date.parse(iso) / DAY_MS) + 3) / 7);

function nextStreak(streak: EventStats['streak'], week: number): EventStats['streak'] {
  if (!streak) return { lastWeek: week, weeks: 1 };
  // Events arriving late (an earlier week) neither extend nor break the streak.
  if (week <= streak.lastWeek) return streak;
  return { lastWeek: week, weeks: week === streak.lastWeek + 1 ? streak.weeks + 1 : 1 };
}

/** Roll one event into stats: count, sums of numeric properties, weekly streak. */
export function addToStats(stats: EventStats | undefined, event: EngineEvent, at: string): EventStats {
  const sums = { ...stats?.sums };
  for (const [key, value] of Object.entries(event.properties ?? {})) {
    if (typeof value === 'number') sums[key] = roundMoney((sums[key] ?? 0) + value);
  }
  return { count: (stats?.count ?? 0) + 1, sums, streak: nextStreak(stats?.streak, weekOf(event.occurredAt ?? at)) };
}

export type PropertyMatch = Record<string, string | number | boolean>;

/** Where the stats for a criterion live: the event type, or the type plus its property filter. */
export function statsKey(criteria: { event: string; where?: PropertyMatch }): string {
  if (!criteria.where) return criteria.event;
  const filter = Object.keys(criteria.where)
    .sort()
    .map((k) => [k, criteria.where![k]]);
  return `${criteria.event}?${JSON.stringify(filter)}`;
}

export const matchesWhere = (where: PropertyMatch, event: EngineEvent) =>
  Object.entries(where).every(([key, value]) => event.properties?.[key] === value);

/** Customer ids of anonymous visitors (X-Kudos-Anonymous-Id) start with this; client ids cannot contain "~". */
export const ANONYMOUS_CUSTOMER_PREFIX = '~anon:';

/** Anonymous visitors are kept apart from shop customer ids (which cannot contain "~"). */
export const anonymousCustomerKey = (anonymousId: string) => `${ANONYMOUS_CUSTOMER_PREFIX}${anonymousId}`;
export const isAnonymousCustomerId = (customerId: string) => customerId.startsWith(ANONYMOUS_CUSTOMER_PREFIX);

/** Internal event types: made by Kudos routes, refused from clients. */
export const REDEMPTION_EVENT = 'kudos.redemption';

/** A customer record without its two growing parts. */
export type CustomerFields = Omit<CustomerRecord, 'orders' | 'ledger'>;

/**
 * What one event changes in a customer (issue 20): the small fields whole, and
 * orders and ledger as what to add, because they only grow. A store appends
 * these to the record it holds instead of copying 10 k orders per purchase.
 * Only a compaction (old orders dropped, old entries folded into a carry) or a
 * late event (expiry replayed) rewrites them: then `allOrders` / `ledger` hold
 * the whole new value, and `orders` / `append` are absent.
 */
export interface CustomerUpdate {
  /** Every field but orders and ledger, as they are after the event (a field absent here is gone). */
  fields: CustomerFields;
  /** Orders added or changed, by id (each a new object: an order is never changed in place). */
  orders?: Record<string, OrderRecord>;
  /** Ledger entries added after the existing ones. */
  append?: LedgerEntry[];
  /** Every order, replacing the existing ones. */
  allOrders?: Record<string, OrderRecord>;
  /** The whole ledger, replacing the existing one. */
  ledger?: LedgerEntry[];
}

/**
 * `map` as a map keyed by ids (orders by order id), to add to: itself when it already is one, else
 * a copy. A null-prototype object, which V8 keeps as a hash table from the start; an ordinary one
 * gets a new hidden class for every key no other object has, which every order id is (adding an
 * order cost ~1 µs, 5 % of batched ingest's CPU, bench/ingest.mjs --only batch --cpu-prof). The
 * copy is made once per record a process reads from disk. JSON and Object.hasOwn treat both alike.
 */
export function idMap<T>(map?: Record<string, T>): Record<string, T> {
  if (map && Object.getPrototypeOf(map) === null) return map;
  return Object.assign(Object.create(null) as Record<string, T>, map);
}

/**
 * An own property, also for an id like "__proto__" (an assignment would set the
 * prototype instead). Other ids are assigned: Object.prototype's other members
 * are writable data properties, which an assignment shadows, and defineProperty
 * cost 4% of batched ingest's CPU (an order and an entry per purchase, twice).
 */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/**
 * The record after `update`, as a new object (copies orders and ledger when they
 * change: for stores that write whole records and for tests; `existing` is not touched).
 */
export function withUpdate(existing: CustomerRecord | undefined, update: CustomerUpdate): CustomerRecord {
  const next: CustomerRecord = { ...update.fields };
  if (update.allOrders) next.orders = update.allOrders;
  else if (update.orders && Object.keys(update.orders).length > 0) {
    const orders = { ...existing?.orders };
    for (const id of Object.keys(update.orders)) setOwn(orders, id, update.orders[id]!);
    next.orders = orders;
  } else if (existing?.orders) next.orders = existing.orders;
  if (update.ledger) next.ledger = update.ledger;
  else if (update.append && update.append.length > 0) next.ledger = [...(existing?.ledger ?? []), ...update.append];
  else if (existing?.ledger) next.ledger = existing.ledger;
  return next;
}
