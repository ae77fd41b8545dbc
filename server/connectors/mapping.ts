// What a platform delivery means for Kudos: an order that is paid, a refund (by
// the platform's own refund id, partial or full), a cancellation. Pure: a topic
// and a parsed payload in, facts out. The ids Kudos derives from them make every
// redelivery a duplicate.
import type { Platform, ShopifyOrder, ShopifyProduct, ShopifyRefund, WooOrder, WooProduct } from './schemas.js';

export interface Buyer {
  /** The platform's customer id (what a theme signs as the shopper's identity). */
  customerId?: string;
  /** A guest's email: they become the customer of that verified address. */
  email?: string;
}

export interface OrderFact {
  kind: 'order';
  /** Kudos order id: `<platform>-<platform order id>`. */
  orderId: string;
  buyer: Buyer;
  total: number;
  currency: string;
  at: string;
  discountCode?: string;
  /** Line items as `SKU*qty` words (SKU, or `product-<id>` without one). */
  items: string;
  kudosSrc?: string;
  kudosRef?: string;
}

export interface RefundFact {
  kind: 'refund';
  orderId: string;
  /** The platform's refund id; `cancel` for a cancellation. */
  refundId: string;
  amount: number;
  at: string;
}

/** The order was delivered (Shopify: fulfilled; WooCommerce: completed): time for the post-delivery survey. */
export interface FulfilmentFact {
  kind: 'fulfilment';
  orderId: string;
  buyer: Buyer;
  /** The address the order names, for the shop's mail tool (`nps.survey_requested`). */
  email?: string;
  at: string;
}

export type Fact = OrderFact | RefundFact | FulfilmentFact;

export const kudosOrderId = (platform: Platform, id: string) => `${platform === 'shopify' ? 'shopify' : 'woo'}-${id}`;

const MAX_ITEMS_LENGTH = 1000;
const word = (s: string) => s.replace(/[\s*]+/g, '_');

function itemsOf(lines: readonly { sku?: string | null; quantity: number; product_id?: string | number | null }[]): string {
  const words = lines
    .filter((l) => l.quantity > 0)
    .map((l) => `${word(l.sku || (l.product_id != null ? `product-${l.product_id}` : 'unknown'))}*${l.quantity}`);
  let text = '';
  for (const w of words) {
    if (text.length + w.length + 1 > MAX_ITEMS_LENGTH) break;
    text = text ? `${text} ${w}` : w;
  }
  return text;
}

const canonical = (iso: string) => new Date(Date.parse(iso)).toISOString();
const money = (n: number) => Math.round(Math.abs(n) * 100) / 100;

/** `kudos_src` / `kudos_ref` from cart attributes (or order meta) a theme set, else from the landing page URL. */
function kudosParams(pairs: readonly { key: string; value: unknown }[], landing?: string | null): { kudosSrc?: string; kudosRef?: string } {
  const find = (name: string) => {
    const hit = pairs.find((p) => p.key === name || p.key === `_${name}`);
    return typeof hit?.value === 'string' && hit.value ? hit.value.slice(0, 200) : undefined;
  };
  let src = find('kudos_src');
  let ref = find('kudos_ref');
  if (!src && landing) {
    try {
      const params = new URL(landing, 'https://shop.invalid').searchParams;
      src = params.get('kudos_src')?.slice(0, 32) || undefined;
      ref = ref ?? (params.get('kudos_ref')?.slice(0, 200) || undefined);
    } catch {
      // A landing page that is no URL carries no attribution.
    }
  }
  return { ...(src && { kudosSrc: src }), ...(ref && { kudosRef: ref }) };
}

// Shopify's financial_status values that mean the money was taken.
const SHOPIFY_PAID = new Set(['paid', 'partially_paid', 'partially_refunded', 'refunded']);

/** A fully fulfilled order (orders/fulfilled, or any order topic once fulfilled), dated by its last fulfilment. */
function shopifyFulfilment(order: ShopifyOrder): FulfilmentFact[] {
  if (order.fulfillment_status !== 'fulfilled' || order.cancelled_at) return [];
  const email = order.customer?.email ?? order.email ?? order.contact_email ?? undefined;
  const dates = order.fulfillments.filter((f) => (f.status ?? 'success') === 'success' && f.created_at).map((f) => canonical(f.created_at!));
  const at = dates.sort().at(-1) ?? canonical(order.processed_at ?? order.created_at);
  return [{ kind: 'fulfilment', orderId: kudosOrderId('shopify', order.id), buyer: order.customer ? { customerId: order.customer.id } : { ...(email && { email }) }, ...(email && { email }), at }];
}

export function shopifyOrderFacts(topic: string, order: ShopifyOrder): Fact[] {
  const paid = SHOPIFY_PAID.has(order.financial_status ?? '');
  // Cash on delivery is fulfilled before it is paid: the survey does not wait for the money.
  if (!paid) return shopifyFulfilment(order);
  const orderId = kudosOrderId('shopify', order.id);
  const email = order.customer?.email ?? order.email ?? order.contact_email ?? undefined;
  const facts: Fact[] = [
    {
      kind: 'order',
      orderId,
      buyer: order.customer ? { customerId: order.customer.id } : { ...(email && { email }) },
      total: money(order.total_price),
      currency: order.currency,
      at: canonical(order.processed_at ?? order.created_at),
      ...(order.discount_codes[0] && { discountCode: order.discount_codes[0].code }),
      items: itemsOf(order.line_items),
      ...kudosParams(order.note_attributes.map((a) => ({ key: a.name, value: a.value })), order.landing_site),
    },
  ];
  if (topic === 'orders/cancelled' && order.cancelled_at) {
    facts.push({ kind: 'refund', orderId, refundId: 'cancel', amount: money(order.total_price), at: canonical(order.cancelled_at) });
  }
  return [...facts, ...shopifyFulfilment(order)];
}

export function shopifyRefundFacts(refund: ShopifyRefund): Fact[] {
  const amount = refund.transactions
    .filter((t) => t.kind === 'refund' && (t.status ?? 'success') === 'success')
    .reduce((sum, t) => sum + Math.abs(t.amount), 0);
  // A refund that only restocks (no money back) changes no points.
  if (amount <= 0) return [];
  return [{ kind: 'refund', orderId: kudosOrderId('shopify', refund.order_id), refundId: refund.id, amount: money(amount), at: canonical(refund.processed_at ?? refund.created_at) }];
}

// WooCommerce statuses in which the order was paid for (date_paid_gmt is the surer sign).
const WOO_PAID = new Set(['processing', 'completed', 'refunded']);
/** WooCommerce's *_gmt dates carry no zone: they are UTC. */
const wooDate = (gmt: string) => canonical(/[zZ]|[+-]\d\d:\d\d$/.test(gmt) ? gmt : `${gmt}Z`);

/** `completed` is WooCommerce's "fulfilled and delivered" (order.updated when the shop completes it). */
function wooFulfilment(order: WooOrder): FulfilmentFact[] {
  if (order.status !== 'completed') return [];
  const email = order.billing?.email || undefined;
  const at = wooDate(order.date_completed_gmt || order.date_modified_gmt || order.date_created_gmt);
  return [{ kind: 'fulfilment', orderId: kudosOrderId('woocommerce', order.id), buyer: order.customer_id > 0 ? { customerId: String(order.customer_id) } : { ...(email && { email }) }, ...(email && { email }), at }];
}

export function wooOrderFacts(order: WooOrder): Fact[] {
  const paid = Boolean(order.date_paid_gmt) || WOO_PAID.has(order.status);
  if (!paid) return wooFulfilment(order);
  const orderId = kudosOrderId('woocommerce', order.id);
  const email = order.billing?.email || undefined;
  const at = wooDate(order.date_paid_gmt || order.date_created_gmt);
  const facts: Fact[] = [
    {
      kind: 'order',
      orderId,
      buyer: order.customer_id > 0 ? { customerId: String(order.customer_id) } : { ...(email && { email }) },
      total: money(order.total),
      currency: order.currency,
      at,
      ...(order.coupon_lines[0] && { discountCode: order.coupon_lines[0].code }),
      items: itemsOf(order.line_items),
      ...kudosParams(order.meta_data),
    },
  ];
  // The order lists every refund so far (WooCommerce shows them negative); each counts once by its id,
  // dated when the order last changed (the payload carries no refund date).
  const changed = order.date_modified_gmt ? wooDate(order.date_modified_gmt) : at;
  for (const r of order.refunds) facts.push({ kind: 'refund', orderId, refundId: r.id, amount: money(r.total), at: changed });
  if (order.status === 'cancelled') facts.push({ kind: 'refund', orderId, refundId: 'cancel', amount: money(order.total), at: changed });
  return [...facts, ...wooFulfilment(order)];
}

export interface StockFact {
  sku: string;
  onHand: number;
  at: string;
}

const SKU = /^[^\s*\u0000-\u001f]{1,255}$/;
// Negative inventory (oversold) is none on hand.
const stockFact = (sku: string | null | undefined, onHand: number | null | undefined, at: string): StockFact[] =>
  sku && SKU.test(sku) && typeof onHand === 'number' ? [{ sku, onHand: Math.max(0, onHand), at }] : [];

/** Each tracked variant with a SKU: its inventory, dated when the product (or variant) last changed. */
export function shopifyStockFacts(product: ShopifyProduct, receivedAt: string): StockFact[] {
  return product.variants.flatMap((v) =>
    v.inventory_management === null ? [] : stockFact(v.sku, v.inventory_quantity, canonical(v.updated_at ?? product.updated_at ?? receivedAt)),
  );
}

/** A product (or variation) that manages its own stock and has a SKU. */
export function wooStockFacts(product: WooProduct, receivedAt: string): StockFact[] {
  if (product.manage_stock !== true) return [];
  return stockFact(product.sku, product.stock_quantity, product.date_modified_gmt ? wooDate(product.date_modified_gmt) : receivedAt);
}
