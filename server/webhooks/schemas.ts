// Webhook endpoint, delivery and signed-order shapes: validation, types and OpenAPI.
import { z } from 'zod';
import { Amount, Currency, CustomerId } from '../schemas.js';
import { pageOf } from '../paging.js';

export const WEBHOOK_EVENT_TYPES = [
  'award.created',
  'award.revoked',
  'points.changed',
  'tier.changed',
  'group.unlocked',
  'group.expired',
  'group.codes_needed',
  'email.verification_requested',
  'nps.responded',
  'nps.survey_requested',
  'gift.granted',
  'product.sold_out',
  'checkin.created',
  'checkin.withdrawn',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookEndpointInput = z.strictObject({
  url: z.string().max(2048),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().max(280).optional(),
  /** false pauses it: no deliveries are queued for it until it is active again (default true). */
  active: z.boolean().optional(),
});
export type WebhookEndpointInput = z.infer<typeof WebhookEndpointInput>;

/** What the API shows of an endpoint; `secret` only in the answer that created it or rotated it. */
export const WebhookEndpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  description: z.string().optional(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** `whsec_…`, shown once. */
  secret: z.string().optional(),
  /** While a rotated-out secret still signs deliveries. */
  previousSecretExpiresAt: z.string().optional(),
});

export const DeliveryAttempt = z.object({
  deliveryId: z.string(),
  type: z.string(),
  at: z.string(),
  /** HTTP status of the receiver's answer; absent when there was none (timeout, refused, DNS). */
  status: z.number().optional(),
  durationMs: z.number(),
  ok: z.boolean(),
  error: z.string().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DeliveryView = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
});

/** Deliveries not yet delivered or given up, oldest first. */
export const PendingDeliveryPage = pageOf(DeliveryView);
/** The endpoint's last 100 attempts, newest first. */
export const DeliveryAttemptPage = pageOf(DeliveryAttempt);

const OrderId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'order ids are 1–100 characters of letters, digits and . _ : -');
// The same bounds as POST /v1/events (docs/limits.md).
const Money = Amount;

export const OrderCreated = z.strictObject({
  type: z.literal('order.created'),
  orderId: OrderId,
  customerId: CustomerId,
  total: Money,
  currency: Currency,
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  /** The discount code the order used: a share-to-save code attributes the order to its group. */
  discountCode: z.string().min(1).max(64).optional(),
  /** The Kudos parameters the checkout URL carried (buy buttons, directories, markets), passed through as they came. */
  kudos_src: z.string().min(1).max(32).optional(),
  kudos_ref: z.string().min(1).max(512).optional(),
  kudos_reservation: z.string().min(1).max(128).optional(),
  /** Line items as `SKU*qty` words separated by spaces (what sold, for the demand forecast). */
  items: z.string().regex(/^[^\s*]{1,255}\*\d{1,6}( [^\s*]{1,255}\*\d{1,6})*$/, 'SKU*qty words separated by single spaces').max(1000).optional(),
});
export const OrderRefunded = z
  .strictObject({
    type: z.literal('order.refunded'),
    orderId: OrderId,
    /**
     * The platform's own id for this refund: two refunds of the same amount are two
     * refunds, a resend of one is one. Optional for senders from before it existed,
     * who then must send `occurredAt` (the refund's own time) instead.
     */
    refundId: OrderId.optional(),
    customerId: CustomerId,
    amount: Money,
    currency: Currency.optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((refund, ctx) => {
    if (refund.refundId === undefined && refund.occurredAt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['refundId'],
        message: 'required: the platform’s id of this refund (or at least "occurredAt"), so a resend counts once and two equal refunds count twice',
      });
    }
  });
export const OrderInput = z.discriminatedUnion('type', [OrderCreated, OrderRefunded]);
export type OrderInput = z.infer<typeof OrderInput>;

/** A delivered order: asks the post-delivery surveys set to `askOnFulfilment` (docs/nps.md). Not history: never imported. */
export const OrderFulfilled = z.strictObject({
  type: z.literal('order.fulfilled'),
  /** Named in the survey link, so no ':' (letters, digits, . _ -). */
  orderId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'order ids in survey links are 1–100 characters of letters, digits and . _ -'),
  customerId: CustomerId,
  /** The buyer's address, if your mail tool needs it in the webhook; leave it out when you send by customer id. */
  email: z.email().max(320).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type OrderFulfilled = z.infer<typeof OrderFulfilled>;
/** What `POST /v1/webhooks/orders` takes: an order, a refund, or a fulfilment. */
export const SignedOrderInput = z.discriminatedUnion('type', [OrderCreated, OrderRefunded, OrderFulfilled]);
