// Products and drops, pure: window state by the clock, stock left, reservations
// that hold one unit for a while, and their confirmation by a purchase. Every
// function takes `now` (ms) and returns new values; the service runs them inside
// `store.updateDocuments`, so concurrent buyers are serialised per product.
import { DomainError, type ProblemSlug } from '../errors.js';
import type { EarlyAccess, Product, ProductState, PublicProduct } from './schemas.js';

export const DEFAULT_HOLD_MINUTES = 10;
/**
 * Percent of the units not yet sold that anonymous visitors may hold at once.
 * Anonymous ids are free to mint: without a share, a script holds a whole drop
 * (and renews it every hold period) and the shop's real customers see "sold out".
 */
export const DEFAULT_ANONYMOUS_HOLD_SHARE = 50;
/** Holds anonymous visitors from one address (IPv6: one /64) may have on one product at once. */
export const DEFAULT_ANONYMOUS_HOLDS_PER_IP = 3;

export interface Hold {
  /** Whose hold: a customer id, or an anonymous visitor's key. */
  customer: string;
  expiresAt: string;
  /** False for an anonymous visitor; holds written before this field existed are read by their key. */
  verified?: boolean;
  /** Which address the hold came from (a digest of its per-IP key): anonymous holds only. */
  from?: string;
}

export interface Sale {
  customer: string;
  orderId: string;
  at: string;
}

/** Per product: units sold, and the holds not yet confirmed (expired ones return their unit). */
export interface StockState {
  sold: number;
  holds: Record<string, Hold>;
  sales: Record<string, Sale>;
}

export const emptyStock = (): StockState => ({ sold: 0, holds: {}, sales: {} });

/** What the buyer holds in the shop's loyalty program, for insider windows. */
export interface Standing {
  badges: readonly string[];
  tier: string | null;
  /** The program's tier names, lowest first: a higher tier qualifies for a lower one's window. */
  tiers: readonly string[];
}

const problem = (slug: ProblemSlug, detail: string) => new DomainError(slug, detail);
export const refusals = {
  notOpen: (at: string) => problem('not-open-yet', `This product goes on sale at ${at}.`),
  closed: () => problem('sale-ended', 'This product is no longer on sale.'),
  insidersOnly: () => problem('insiders-only', 'For now only customers with the badge or tier of an early-access window may buy this.'),
  soldOut: () => problem('sold-out', 'Every unit is sold or held by another buyer; held units come back when their hold expires.'),
  limitReached: (n: number) => problem('limit-reached', `At most ${n} per customer.`),
  signInShare: (share: number) =>
    problem('sign-in-to-hold', `Anonymous visitors may hold at most ${share}% of the units left; the rest is kept for signed-in customers.`),
  signInPerIp: (n: number) =>
    problem('sign-in-to-hold', `Visitors from this address already hold ${n} units; sign in to hold another.`),
};

const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export type WindowState = 'upcoming' | 'insiders' | 'open' | 'closed';

/** Where the clock puts the product: before any window, insiders only, open to all, or over. */
export function windowOf(p: Product, now: number): { state: WindowState; changesAt: number | null } {
  const from = at(p.availableFrom);
  const until = at(p.availableUntil) ?? null;
  if (until !== null && now >= until) return { state: 'closed', changesAt: null };
  if (from !== undefined && now < from) {
    const earliest = p.earlyAccess ? Math.min(...p.earlyAccess.map((l) => Date.parse(l.opensAt))) : undefined;
    if (earliest !== undefined && now >= earliest) return { state: 'insiders', changesAt: from };
    return { state: 'upcoming', changesAt: earliest ?? from };
  }
  return { state: 'open', changesAt: until };
}

/** Buying needs a reservation whenever Kudos has something to enforce. */
export const needsReservation = (p: Product) => p.stock !== undefined || p.perCustomerLimit !== undefined || p.earlyAccess !== undefined;

const ANONYMOUS_KEY = /^~anon:/;
const isVerifiedHold = (h: Hold) => h.verified ?? !ANONYMOUS_KEY.test(h.customer);

/** How many units anonymous visitors may hold at once: a share of the units not yet sold. */
export function anonymousHoldCap(p: Product, stock: StockState): number {
  if (p.stock === undefined) return Infinity;
  const share = p.anonymousHoldShare ?? DEFAULT_ANONYMOUS_HOLD_SHARE;
  return Math.floor((Math.max(0, p.stock - stock.sold) * share) / 100);
}

/** The holds still running at `now`. */
function liveHolds(stock: StockState, now: number): Record<string, Hold> {
  return Object.fromEntries(Object.entries(stock.holds).filter(([, h]) => Date.parse(h.expiresAt) > now));
}

export function remainingOf(p: Product, stock: StockState, now: number): number | null {
  if (p.stock === undefined) return null;
  return Math.max(0, p.stock - stock.sold - Object.keys(liveHolds(stock, now)).length);
}

export function qualifies(layer: EarlyAccess, standing: Standing | undefined): boolean {
  if (!standing) return false;
  if (layer.badge !== undefined) return standing.badges.includes(layer.badge);
  const needed = standing.tiers.indexOf(layer.tier!);
  return needed >= 0 && standing.tier !== null && standing.tiers.indexOf(standing.tier) >= needed;
}

/** Whether `customer` has bought as many as the product allows one customer (holds not counted: a running hold is theirs to use). */
export const atLimit = (p: Product, stock: StockState, customer: string) =>
  p.perCustomerLimit !== undefined && Object.values(stock.sales).filter((s) => s.customer === customer).length >= p.perCustomerLimit;

/** `buyer`: a verified customer viewing it, told whether they reached the per-customer limit. */
export function publicView(p: Product, stock: StockState, now: number, badgeNames: Readonly<Record<string, string>>, buyer?: string): PublicProduct {
  const window = windowOf(p, now);
  const remaining = remainingOf(p, stock, now);
  const selling = window.state === 'open' || window.state === 'insiders';
  const state: ProductState = selling && remaining === 0 ? 'sold-out' : window.state;
  return {
    id: p.id,
    name: p.name,
    ...(p.description !== undefined && { description: p.description }),
    price: p.price,
    currency: p.currency,
    ...(p.imageUrl !== undefined && { imageUrl: p.imageUrl }),
    state,
    changesAt: window.changesAt === null ? null : new Date(window.changesAt).toISOString(),
    availableFrom: p.availableFrom ?? null,
    availableUntil: p.availableUntil ?? null,
    stock: p.stock ?? null,
    remaining,
    perCustomerLimit: p.perCustomerLimit ?? null,
    ...(buyer !== undefined && p.perCustomerLimit !== undefined && { limitReached: atLimit(p, stock, buyer) }),
    reserve: needsReservation(p),
    insiders: (p.earlyAccess ?? []).map((l) => ({
      opensAt: l.opensAt,
      ...(l.badge !== undefined && { badge: { id: l.badge, name: badgeNames[l.badge] ?? l.badge } }),
      ...(l.tier !== undefined && { tier: l.tier }),
    })),
  };
}

/**
 * One unit held for `customer` until now + holdMinutes, or their hold already
 * running (a second click holds nothing more). Throws a refusal and changes
 * nothing when the window, the insider layers, the per-customer limit or the
 * stock say no.
 */
export function reserve(
  p: Product,
  stock: StockState,
  buyer: { customer: string; standing?: Standing; verified?: boolean; from?: string },
  token: string,
  now: number,
): { stock: StockState; token: string; expiresAt: string } {
  const window = windowOf(p, now);
  if (window.state === 'closed') throw refusals.closed();
  if (window.state === 'upcoming') throw refusals.notOpen(new Date(window.changesAt!).toISOString());
  if (window.state === 'insiders') {
    const open = p.earlyAccess!.filter((l) => Date.parse(l.opensAt) <= now);
    if (!open.some((l) => qualifies(l, buyer.standing))) throw refusals.insidersOnly();
  }
  const holds = liveHolds(stock, now);
  const mine = Object.entries(holds).find(([, h]) => h.customer === buyer.customer);
  if (mine) return { stock, token: mine[0], expiresAt: mine[1].expiresAt };
  if (atLimit(p, stock, buyer.customer)) throw refusals.limitReached(p.perCustomerLimit!);
  const verified = buyer.verified ?? !ANONYMOUS_KEY.test(buyer.customer);
  const cap = anonymousHoldCap(p, stock);
  const anonymous = Object.entries(holds).filter(([, h]) => !isVerifiedHold(h));
  let live = holds;
  if (remainingOf(p, { ...stock, holds }, now) === 0) {
    // A verified buyer is never turned away while visitors hold more than their share
    // (the share or the stock was lowered after they held): the newest such hold gives way.
    if (!verified || anonymous.length <= cap) throw refusals.soldOut();
    const [newest] = anonymous.sort(([, a], [, b]) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0]!;
    const { [newest]: _, ...rest } = live;
    live = rest;
  } else if (!verified && p.stock !== undefined) {
    if (anonymous.length >= cap) throw refusals.signInShare(p.anonymousHoldShare ?? DEFAULT_ANONYMOUS_HOLD_SHARE);
    const perIp = p.anonymousHoldsPerIp ?? DEFAULT_ANONYMOUS_HOLDS_PER_IP;
    if (buyer.from !== undefined && anonymous.filter(([, h]) => h.from === buyer.from).length >= perIp) throw refusals.signInPerIp(perIp);
  }
  const expiresAt = new Date(now + (p.holdMinutes ?? DEFAULT_HOLD_MINUTES) * 60_000).toISOString();
  const hold: Hold = { customer: buyer.customer, expiresAt, verified, ...(!verified && buyer.from !== undefined && { from: buyer.from }) };
  return { stock: { ...stock, holds: { ...live, [token]: hold } }, token, expiresAt };
}

export type Confirmation = 'confirmed' | 'already-confirmed' | 'refused';

/**
 * A purchase carrying a reservation token turns the hold into a sale. A hold
 * that expired (or a token Kudos never issued) still confirms if a unit is
 * free; when none is, the sale is refused: never more sold than stock.
 */
export function confirm(
  p: Product | undefined,
  stock: StockState,
  token: string,
  sale: { customer: string; orderId: string },
  now: number,
): { stock: StockState; status: Confirmation } {
  if (stock.sales[token]) return { stock, status: 'already-confirmed' };
  const holds = liveHolds(stock, now);
  const hold = holds[token];
  if (!hold && p && remainingOf(p, { ...stock, holds }, now) === 0) return { stock, status: 'refused' };
  if (!hold && !p) return { stock, status: 'refused' };
  const { [token]: _, ...others } = holds;
  return {
    stock: {
      sold: stock.sold + 1,
      holds: others,
      sales: { ...stock.sales, [token]: { customer: hold?.customer ?? sale.customer, orderId: sale.orderId, at: new Date(now).toISOString() } },
    },
    status: 'confirmed',
  };
}

export type ReservationState = 'held' | 'confirmed' | 'expired' | 'unknown';

/**
 * What the shop's checkout should know before taking payment for a token: still held,
 * already sold, or lapsed — and then whether a unit is free for it (a late payment
 * still confirms while one is; when none is, the purchase will not count as a sale).
 */
export function reservationStatus(
  p: Product,
  stock: StockState,
  token: string,
  now: number,
): { state: ReservationState; expiresAt: string | null; canConfirm: boolean } {
  const sale = stock.sales[token];
  if (sale) return { state: 'confirmed', expiresAt: null, canConfirm: false };
  const hold = liveHolds(stock, now)[token];
  if (hold) return { state: 'held', expiresAt: hold.expiresAt, canConfirm: true };
  const lapsed = stock.holds[token];
  const free = remainingOf(p, { ...stock, holds: liveHolds(stock, now) }, now) !== 0;
  return { state: lapsed ? 'expired' : 'unknown', expiresAt: lapsed?.expiresAt ?? null, canConfirm: free };
}

/** The product's checkout URL with the attribution Kudos passes to the shop's checkout. */
export function checkoutUrlOf(p: Product, attribution: { ref?: string; token?: string | null }): string {
  const url = new URL(p.checkoutUrl);
  url.searchParams.set('kudos_src', 'directory');
  if (attribution.ref) url.searchParams.set('kudos_ref', attribution.ref);
  if (attribution.token) url.searchParams.set('kudos_reservation', attribution.token);
  return url.href;
}

/** Tokens name their product, so a purchase can find the hold from the token alone. */
export const productOfToken = (token: string) => /^([a-z0-9][a-z0-9_-]{0,63})\.[A-Za-z0-9_-]{16,64}$/.exec(token)?.[1];

// A drop's funnel, counted by products as it happens and read by the segments.
export interface FunnelDay {
  views: number;
  holds: number;
  purchases: number;
}

/** Per product: UTC day → counts (views of its buy button, new holds, holds turned into sales). */
export interface FunnelDocument {
  productId: string;
  days: Record<string, FunnelDay>;
}

/** A funnel count added to a product's day. */
export function countedFunnel(current: FunnelDocument | undefined, productId: string, day: string, field: keyof FunnelDay, maxDays: number): FunnelDocument {
  const days = { ...current?.days };
  const d = days[day] ?? { views: 0, holds: 0, purchases: 0 };
  days[day] = { ...d, [field]: d[field] + 1 };
  const kept = Object.fromEntries(Object.entries(days).sort(([a], [b]) => (a < b ? 1 : -1)).slice(0, maxDays));
  return { productId, days: kept };
}
