// Products against the store: each step reads and writes through
// `updateDocuments`, so the pure engine runs with no other write in between
// (that is what keeps a drop from overselling under concurrent buyers).
import { putDefinition } from '../store/put-definition.js';
import { randomBytes } from 'node:crypto';
import { tierOf } from '../loyalty/engine/tiers.js';
import { problems, withDocs } from '../http/problem.js';
import { programOf } from '../loyalty/ports.js';
import { recordEvents } from '../events/record-events.js';
import { enqueueWebhookFacts } from '../webhooks/ports.js';
import type { BrowserLimits, DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { updateOnce } from '../events/after-record.js';
import { checkoutUrlOf, confirm, countedFunnel, emptyStock, needsReservation, productOfToken, publicView, reservationStatus, reserve, type Confirmation, type FunnelDay, type FunnelDocument, type Standing, type StockState } from './engine.js';
import { STOCK } from './lookups.js';
import type { Product, ProductInput, PublicProduct, Reservation } from './schemas.js';

export const PRODUCTS = 'products';
const productRef = (id: string): DocumentRef => ({ collection: PRODUCTS, id });
const stockRef = (id: string): DocumentRef => ({ collection: STOCK, id });

/** Random part of a reservation token (tests inject a counter). */
export type TokenSource = () => string;
export const secureToken: TokenSource = () => randomBytes(18).toString('base64url');

export interface ProductsDeps {
  store: Store;
  now: () => Date;
  token: TokenSource;
}

export async function putProduct(deps: ProductsDeps, shopId: string, id: string, input: ProductInput): Promise<{ product: Product; created: boolean }> {
  const { value: product, created } = await putDefinition<ProductInput>(deps.store, deps.now, shopId, productRef(id), input);
  return { product: product as Product, created };
}

export async function getProduct(deps: Pick<ProductsDeps, 'store'>, shopId: string, id: string): Promise<Product> {
  const product = await deps.store.getDocument<Product>(shopId, productRef(id));
  if (!product) throw withDocs(problems.notFound(`No product "${id}" in this shop.`), 'buy-buttons.md');
  return product;
}

// Each drop's funnel (views, new holds, holds turned into sales) per product and UTC day,
// counted as it happens; the segments read it (ports.ts).
export const FUNNELS = 'product-funnels';
/** Two years and a day: the longest KPI period. */
const MAX_FUNNEL_DAYS = 731;
const funnelRef = (productId: string) => ({ collection: FUNNELS, id: productId });

/** The funnel document with one more `field` on the day of `at` (pure: for a caller that writes it with other documents). */
const countedFunnelOf = (current: unknown, productId: string, at: string, field: keyof FunnelDay) =>
  countedFunnel(current as FunnelDocument | undefined, productId, at.slice(0, 10), field, MAX_FUNNEL_DAYS);

async function countFunnel(store: Store, shopId: string, productId: string, at: string, field: keyof FunnelDay): Promise<void> {
  await store.updateDocuments(shopId, [funnelRef(productId)], ([current]) => ({ values: [countedFunnelOf(current, productId, at, field)], result: undefined }));
}

/** Every drop's funnel: the segments' views → holds → purchases. */
export const listFunnels = (store: Store, shopId: string) => store.listDocuments<FunnelDocument>(shopId, FUNNELS);

/** Every product of the shop, as stored (oldest first is the caller's sort). */
export const listProducts = (store: Store, shopId: string) => store.listDocuments<Product>(shopId, PRODUCTS);
/** Every product's stock with its sales (token → customer and order): the segments' buyers. */
export const listStockStates = (store: Store, shopId: string) => store.listDocuments<StockState>(shopId, STOCK);

const stockOf = async (store: Store, shopId: string, id: string) => (await store.getDocument<StockState>(shopId, stockRef(id))) ?? emptyStock();

/** `customer`: the verified customer asking, who is told whether they reached the per-customer limit. */
export async function viewProduct(deps: Pick<ProductsDeps, 'store' | 'now'>, shopId: string, product: Product, customer?: string): Promise<PublicProduct> {
  const names: Record<string, string> = {};
  for (const layer of product.earlyAccess ?? []) {
    if (layer.badge) names[layer.badge] = (await deps.store.getBadge(shopId, layer.badge))?.name ?? layer.badge;
  }
  return publicView(product, await stockOf(deps.store, shopId, product.id), deps.now().getTime(), names, customer);
}

/** The secret-key view: the definition plus what is sold and held. */
export async function ownerView(deps: Pick<ProductsDeps, 'store' | 'now'>, shopId: string, product: Product) {
  const stock = await stockOf(deps.store, shopId, product.id);
  const view = await viewProduct(deps, shopId, product);
  const now = deps.now().getTime();
  return { ...product, state: view.state, remaining: view.remaining, sold: stock.sold, held: Object.values(stock.holds).filter((h) => Date.parse(h.expiresAt) > now).length };
}

async function standingOf(deps: Pick<ProductsDeps, 'store' | 'now'>, shopId: string, customerId: string): Promise<Standing> {
  const [customer, program] = await Promise.all([deps.store.getCustomer(shopId, customerId), programOf(deps.store, shopId)]);
  return {
    badges: Object.keys(customer?.badges ?? {}),
    tier: customer ? (tierOf(customer, program, deps.now().toISOString())?.current?.name ?? null) : null,
    tiers: program.tiers?.levels.map((l) => l.name) ?? [],
  };
}

/**
 * The checkout URL for one buyer: with a held unit (and its token) when the
 * product needs a reservation, else just with the attribution.
 */
export async function reserveFor(
  deps: ProductsDeps,
  shopId: string,
  product: Product,
  buyer: { customer: string; verified: boolean; from?: string } | undefined,
  ref: string | undefined,
): Promise<Reservation> {
  if (!needsReservation(product)) return { token: null, expiresAt: null, checkoutUrl: checkoutUrlOf(product, { ref }) };
  if (!buyer) throw problems.identity('Identify the shopper (X-Kudos-Customer + hash) or send X-Kudos-Anonymous-Id to hold a unit.');
  // Insider status is only read for a verified customer: an anonymous id proves nothing.
  const standing = buyer.verified && product.earlyAccess ? await standingOf(deps, shopId, buyer.customer) : undefined;
  const token = `${product.id}.${deps.token()}`;
  const held = await deps.store.updateDocuments(shopId, [productRef(product.id), stockRef(product.id)], ([p, s]) => {
    // The definition is re-read inside the update: a restock or an edit in between counts.
    if (!p) throw problems.notFound(`No product "${product.id}" in this shop.`);
    const result = reserve(p as Product, (s as StockState | undefined) ?? emptyStock(), { customer: buyer.customer, standing, verified: buyer.verified, from: buyer.from }, token, deps.now().getTime());
    return { values: [p, result.stock], result };
  });
  // A new hold (not the buyer's running one handed back) counts in the drop's funnel.
  if (held.token === token) await countFunnel(deps.store, shopId, product.id, deps.now().toISOString(), 'holds');
  return { token: held.token, expiresAt: held.expiresAt, checkoutUrl: checkoutUrlOf(product, { ref, token: held.token }) };
}

/**
 * After purchases are recorded: each one carrying `kudos_reservation` turns that
 * hold into a sale (once; never beyond stock). Returns what became of each token.
 */
export async function confirmReservations(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
  outcomes: readonly EventOutcome[],
  pending?: DocumentRef,
): Promise<Map<string, Confirmation>> {
  const done = new Map<string, Confirmation>();
  for (const [i, event] of events.entries()) {
    const token = event.properties?.kudos_reservation;
    if (event.type !== 'purchase' || outcomes[i]?.status !== 'accepted' || typeof token !== 'string') continue;
    const productId = productOfToken(token);
    if (!productId) continue;
    const { status, rerun, soldOut } = await store.updateDocuments(shopId, [productRef(productId), stockRef(productId)], ([p, s]) => {
      if (!p) return { values: [p, s], result: { status: 'refused' as Confirmation, rerun: false, soldOut: undefined } };
      const product = p as Product;
      const orderId = String(event.properties?.orderId ?? event.id);
      const result = confirm(product, (s as StockState | undefined) ?? emptyStock(), token, { customer: event.customerId, orderId }, now().getTime());
      // This very sale, confirmed by a first run of this batch's follow-ups that a crash cut short.
      const sale = result.stock.sales[token];
      const rerun = result.status === 'already-confirmed' && pending !== undefined && sale?.orderId === orderId;
      // The sale that takes the last unit, and only that one, tells the shop the drop sold out (again on a re-run: same delivery id).
      const latest = Object.values(result.stock.sales).every((other) => other.at <= (sale?.at ?? ''));
      const last = (result.status === 'confirmed' || (rerun && latest)) && product.stock !== undefined && result.stock.sold === product.stock;
      return { values: [p, result.stock], result: { status: result.status, rerun, soldOut: last ? { stock: product.stock!, orderId } : undefined } };
    });
    done.set(token, status);
    // A count, not keyed by event: once per batch and token (updateOnce), also when the batch runs again.
    if (status === 'confirmed' || rerun) {
      await updateOnce(store, shopId, pending, `products:funnel:${token}`, [funnelRef(productId)], ([current]) => [countedFunnelOf(current, productId, event.occurredAt, 'purchases')]);
    }
    if (soldOut) {
      await enqueueWebhookFacts(store, now, shopId, [
        { sourceEventId: event.id, type: 'product.sold_out', subject: productId, data: { productId, ...soldOut, soldOutAt: now().toISOString() } },
      ]);
    }
  }
  return done;
}

/** For the shop's checkout, before it takes payment (secret key). */
export async function reservationOf(deps: Pick<ProductsDeps, 'store' | 'now'>, shopId: string, product: Product, token: string) {
  const stock = (await deps.store.getDocument<StockState>(shopId, stockRef(product.id))) ?? emptyStock();
  return { token, productId: product.id, ...reservationStatus(product, stock, token, deps.now().getTime()) };
}

/**
 * A view or click of a buy button, recorded as the event badges and KPIs read
 * (`product_view` / `directory_click`). Its own route rather than `/v1/events`, so
 * any directory page may send it without the shop registering that origin.
 */
export async function recordInteraction(
  deps: Pick<ProductsDeps, 'store' | 'now'>,
  shopId: string,
  product: Product,
  customer: string,
  input: { type: 'view' | 'click'; ref?: string },
  /** A publishable key's view or click: the shop's browser quotas apply, and its id lives in the browser namespace. */
  limits?: BrowserLimits,
): Promise<void> {
  const type = input.type === 'view' ? 'product_view' : 'directory_click';
  await recordEvents(deps.store, deps.now, shopId, [
    {
      id: `${type}:${product.id}:${randomBytes(12).toString('base64url')}`,
      type,
      customerId: customer,
      occurredAt: deps.now().toISOString(),
      properties: { productId: product.id, kudos_src: 'directory', ...(input.ref && { kudos_ref: input.ref }) },
      ...(limits && { browser: true }),
    },
  ], { limits });
  if (input.type === 'view') await countFunnel(deps.store, shopId, product.id, deps.now().toISOString(), 'views');
}
