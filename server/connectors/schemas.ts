// Connections (per shop, per platform) and the parts of the platforms' webhook
// payloads Kudos reads. Platform payloads are loose objects: Shopify and
// WooCommerce add fields over time, and a new field must never turn a paid order
// into a 400. The fields read are checked strictly.
import { z } from 'zod';

export const PLATFORMS = ['shopify', 'woocommerce'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ConnectionInput = z.strictObject({
  platform: z.enum(PLATFORMS),
  /**
   * The platform's signing secret: Shopify's "Your webhooks will be signed with …"
   * (Settings → Notifications → Webhooks), or the Secret of the WooCommerce webhook.
   */
  secret: z.string().min(8).max(200),
  description: z.string().max(200).optional(),
});
export type ConnectionInput = z.infer<typeof ConnectionInput>;

export interface Connection {
  id: string;
  platform: Platform;
  /** Sealed (server/access/seal.ts); plain in data written before sealing. */
  secret: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
  /** The last verified delivery, for the console ("connected, last order …"). */
  lastDeliveryAt?: string;
  lastTopic?: string;
}

export const ConnectionView = z.object({
  id: z.string(),
  platform: z.enum(PLATFORMS),
  description: z.string().optional(),
  /** The URL to paste into the platform's webhook settings. */
  deliveryUrl: z.string(),
  /** The topics to subscribe to there. */
  topics: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastDeliveryAt: z.string().optional(),
  lastTopic: z.string().optional(),
});

/** "12.50" as platforms send money; a number is accepted too. */
export const Amount = z.union([z.number().finite(), z.string().regex(/^-?\d{1,12}(\.\d{1,6})?$/, 'a decimal amount such as "12.50"').transform(Number)]);
const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const Datetime = z.iso.datetime({ offset: true });
const Currency = z.string().regex(/^[A-Z]{3}$/);

// Shopify REST webhook payloads (orders/create, orders/paid, orders/cancelled,
// orders/fulfilled: the Order resource; refunds/create: the Refund resource).
export const ShopifyOrder = z.looseObject({
  id: Id,
  name: z.string().max(200).optional(),
  email: z.string().max(320).nullish(),
  contact_email: z.string().max(320).nullish(),
  created_at: Datetime,
  processed_at: Datetime.nullish(),
  cancelled_at: Datetime.nullish(),
  currency: Currency,
  total_price: Amount,
  financial_status: z.string().max(40).nullish(),
  test: z.boolean().optional(),
  customer: z.looseObject({ id: Id, email: z.string().max(320).nullish() }).nullish(),
  discount_codes: z.array(z.looseObject({ code: z.string().max(255) })).max(100).default([]),
  line_items: z.array(z.looseObject({ sku: z.string().max(255).nullish(), quantity: z.number().int().min(0), product_id: Id.nullish() })).max(1000).default([]),
  note_attributes: z.array(z.looseObject({ name: z.string().max(255), value: z.unknown() })).max(200).default([]),
  landing_site: z.string().max(4000).nullish(),
  /** `fulfilled` once every item shipped (orders/fulfilled); each fulfilment's `created_at` dates it. */
  fulfillment_status: z.string().max(40).nullish(),
  fulfillments: z.array(z.looseObject({ status: z.string().max(40).nullish(), created_at: Datetime.nullish() })).max(500).default([]),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const ShopifyRefund = z.looseObject({
  id: Id,
  order_id: Id,
  created_at: Datetime,
  processed_at: Datetime.nullish(),
  transactions: z
    .array(z.looseObject({ kind: z.string().max(40), status: z.string().max(40).nullish(), amount: Amount, currency: Currency.nullish() }))
    .max(200)
    .default([]),
  refund_line_items: z.array(z.looseObject({ quantity: z.number().int().min(0), line_item: z.looseObject({ sku: z.string().max(255).nullish() }).nullish() })).max(1000).default([]),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

// WooCommerce REST API v3 order (the payload of order.created / order.updated /
// order.restored webhooks at API version v3).
export const WooOrder = z.looseObject({
  id: Id,
  status: z.string().max(40),
  currency: Currency,
  date_created_gmt: z.string().max(40),
  date_paid_gmt: z.string().max(40).nullish(),
  date_modified_gmt: z.string().max(40).nullish(),
  date_completed_gmt: z.string().max(40).nullish(),
  total: Amount,
  customer_id: z.number().int().nonnegative().default(0),
  billing: z.looseObject({ email: z.string().max(320).nullish() }).nullish(),
  line_items: z.array(z.looseObject({ sku: z.string().max(255).nullish(), quantity: z.number().int().min(0), product_id: z.number().int().nullish() })).max(1000).default([]),
  coupon_lines: z.array(z.looseObject({ code: z.string().max(255) })).max(100).default([]),
  refunds: z.array(z.looseObject({ id: Id, total: Amount })).max(500).default([]),
  meta_data: z.array(z.looseObject({ key: z.string().max(255), value: z.unknown() })).max(500).default([]),
});
export type WooOrder = z.infer<typeof WooOrder>;

// Inventory, for forecast accuracy: Shopify's products/create and products/update
// (the Product resource: each variant's SKU and inventory_quantity) and
// WooCommerce's product.created / product.updated (the product's own SKU and
// stock_quantity when it manages stock; variations arrive as their own products).
const StockSku = z.string().max(255).nullish();
// Product ids are not read: Shopify's exceed JavaScript's safe integers.
export const ShopifyProduct = z.looseObject({
  updated_at: Datetime.nullish(),
  variants: z
    .array(z.looseObject({ sku: StockSku, inventory_quantity: z.number().int().nullish(), inventory_management: z.string().max(64).nullish(), updated_at: Datetime.nullish() }))
    .max(2000)
    .default([]),
});
export type ShopifyProduct = z.infer<typeof ShopifyProduct>;
export const WooProduct = z.looseObject({
  sku: StockSku,
  manage_stock: z.union([z.boolean(), z.literal('parent')]).nullish(),
  stock_quantity: z.number().int().nullish(),
  date_modified_gmt: z.string().max(40).nullish(),
});
export type WooProduct = z.infer<typeof WooProduct>;
