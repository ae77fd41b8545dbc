// Micro-gift rules: a small surprise (an add-on code Kudos generates, or bonus
// points) for some orders, within a budget per period.
import { z } from 'zod';
import { CustomerState } from '../loyalty/schemas.js';
import { Slug } from '../schemas.js';
import { pageOf } from '../paging.js';

export const GiftInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(280).optional(),
  gift: z.discriminatedUnion('kind', [
    /** A free add-on: Kudos issues a code per grant (`prefix` + 10 characters) that the shop's checkout honours. */
    z.strictObject({ kind: z.literal('code'), prefix: z.string().regex(/^[A-Z0-9-]{0,12}$/, 'up to 12 of A–Z, 0–9 and -').default('GIFT-') }),
    z.strictObject({ kind: z.literal('points'), points: z.number().int().min(1).max(100_000) }),
  ]),
  rule: z.discriminatedUnion('kind', [
    /** The customer's first order. */
    z.strictObject({ kind: z.literal('firstOrder') }),
    /** The customer's Nth order. */
    z.strictObject({ kind: z.literal('nthOrder'), n: z.number().int().min(2).max(1000) }),
    /** An order within `withinDays` after a market check-in (at `checkinId`, or any point). */
    z.strictObject({ kind: z.literal('afterCheckin'), withinDays: z.number().int().min(1).max(365), checkinId: Slug.optional() }),
    /** A share of all orders, drawn once per order from a keyed hash of shop and order: never re-rolled. */
    z.strictObject({ kind: z.literal('randomShare'), percent: z.number().gt(0).max(100) }),
  ]),
  /** At most `max` grants per calendar period (UTC; weeks start on Monday), or in all (`total`). */
  budget: z.strictObject({ max: z.number().int().min(1).max(1_000_000), period: z.enum(['day', 'week', 'month', 'total']) }).optional(),
  active: z.boolean().default(true),
});
export type GiftInput = z.output<typeof GiftInput>;
export type Gift = GiftInput & { id: string; createdAt: string; updatedAt: string };

/** This period's budget use (remaining only with a budget). */
export const GiftUsage = z.object({ period: z.string(), granted: z.number().int(), remaining: z.number().int().optional() });
/** A gift rule as the API answers it: the definition and its usage now. */
export const GiftDefinition = z.object({ ...GiftInput.shape, id: z.string(), createdAt: z.string(), updatedAt: z.string(), usage: GiftUsage });
export const GiftList = pageOf(GiftDefinition);

/** One gift given to one customer for one order. */
export interface Grant {
  giftId: string;
  name: string;
  description?: string;
  customerId: string;
  orderId: string;
  kind: 'code' | 'points';
  code?: string;
  points?: number;
  grantedAt: string;
  period: string;
}

/** What the customer state lists under `gifts` (defined with the customer state). */
export const GiftView = CustomerState.shape.gifts.unwrap().element;
