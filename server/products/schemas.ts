// Buy-button products and drops: the request and response shapes (zod, strict).
import { z } from 'zod';
import { Currency, Slug } from '../schemas.js';

const Instant = z.iso.datetime({ offset: true });

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL; plain http only on this machine (demo shops, tests). */
export const isWebUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
};

const WebUrl = z.string().max(2000).refine(isWebUrl, 'an https:// URL (http:// only on localhost)');

/** A browser origin ("https://directory.example"), as `location.origin` gives it. */
export const Origin = z
  .string()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'an origin: scheme, host and port only, e.g. https://directory.example');

export const EarlyAccess = z
  .strictObject({
    /** When this layer of insiders may start buying (before the public `availableFrom`). */
    opensAt: Instant,
    /** Customers who hold this badge… */
    badge: Slug.optional(),
    /** …or this tier of the points program, or a higher one. */
    tier: z.string().min(1).max(64).optional(),
  })
  .refine((layer) => (layer.badge === undefined) !== (layer.tier === undefined), {
    message: 'give exactly one of badge or tier',
  });
export type EarlyAccess = z.infer<typeof EarlyAccess>;

export const ProductInput = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    price: z.number().finite().min(0).max(10_000_000),
    currency: Currency,
    imageUrl: WebUrl.optional(),
    /** The product page or cart on the shop's own site: Kudos never takes payment. */
    checkoutUrl: WebUrl,
    availableFrom: Instant.optional(),
    availableUntil: Instant.optional(),
    /** Units of a limited run; leave out for unlimited. Raising it is a restock. */
    stock: z.number().int().min(0).max(100_000).optional(),
    perCustomerLimit: z.number().int().min(1).max(100).optional(),
    /** Insider layers that open before `availableFrom`, e.g. Gold tier at 9:00, badge holders at 9:30, everyone at 10:00. */
    earlyAccess: z.array(EarlyAccess).min(1).max(5).optional(),
    /** How long a reservation holds its unit (default 10). */
    holdMinutes: z.number().int().min(1).max(60).optional(),
    /**
     * Percent of the units not yet sold that anonymous (not signed-in) visitors may
     * hold at once (default 50; 100 lets them hold everything, 0 keeps limited stock
     * for signed-in customers). Signed-in customers may always hold the rest.
     */
    anonymousHoldShare: z.number().int().min(0).max(100).optional(),
    /** Holds anonymous visitors from one address (an IPv6 /64) may have on this product at once (default 3). */
    anonymousHoldsPerIp: z.number().int().min(1).max(1000).optional(),
  })
  .superRefine((p, ctx) => {
    const from = p.availableFrom === undefined ? undefined : Date.parse(p.availableFrom);
    if (from !== undefined && p.availableUntil !== undefined && Date.parse(p.availableUntil) <= from) {
      ctx.addIssue({ code: 'custom', path: ['availableUntil'], message: 'must be after availableFrom' });
    }
    p.earlyAccess?.forEach((layer, i) => {
      if (from === undefined) {
        ctx.addIssue({ code: 'custom', path: ['earlyAccess', i, 'opensAt'], message: 'early access needs availableFrom (when the public may buy)' });
      } else if (Date.parse(layer.opensAt) >= from) {
        ctx.addIssue({ code: 'custom', path: ['earlyAccess', i, 'opensAt'], message: 'must be before availableFrom' });
      }
    });
  });
export type ProductInput = z.infer<typeof ProductInput>;

export interface Product extends ProductInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export const ReservationInput = z.strictObject({
  /** Origin of the page the buy button is embedded in (the directory): travels as `kudos_ref`. */
  ref: Origin.optional(),
});

/** A buy button was seen or pressed: views and clicks are what directories are measured by. */
export const InteractionInput = z.strictObject({
  type: z.enum(['view', 'click']),
  /** Origin of the page the buy button is embedded in (the directory): recorded as `kudos_ref`. */
  ref: Origin.optional(),
});

export const ProductState = z.enum(['upcoming', 'insiders', 'open', 'sold-out', 'closed']);
export type ProductState = z.infer<typeof ProductState>;

/** A product as stored and answered to the shop's PUT: the input's fields and when it was made and changed. */
export const ProductDefinition = z.object({ ...ProductInput.shape, id: z.string(), createdAt: z.string(), updatedAt: z.string() });
/** GET /v1/products/:id with the secret key: the definition, its state now, and how many are sold and held. */
export const ProductOwnerView = ProductDefinition.extend({
  state: ProductState,
  remaining: z.number().nullable(),
  sold: z.number().int(),
  held: z.number().int(),
});

export const PublicProduct = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  price: z.number(),
  currency: z.string(),
  imageUrl: z.string().optional(),
  state: ProductState,
  /** When `state` changes next by the clock (opening, the public opening after insiders, closing); null if never. */
  changesAt: z.string().nullable(),
  availableFrom: z.string().nullable(),
  availableUntil: z.string().nullable(),
  stock: z.number().nullable(),
  remaining: z.number().nullable(),
  perCustomerLimit: z.number().nullable(),
  /**
   * Whether the signed-in customer asking (X-Kudos-Customer) has bought as many as
   * `perCustomerLimit` allows: their buy button is disabled. Only in their own answer
   * (private, never in a shared cache), and only for a product with that limit.
   */
  limitReached: z.boolean().optional(),
  /** Buying goes through a reservation (limited stock, a per-customer limit or insider windows). */
  reserve: z.boolean(),
  /** Who may buy early, and from when: how to qualify. */
  insiders: z.array(z.object({ opensAt: z.string(), badge: z.object({ id: z.string(), name: z.string() }).optional(), tier: z.string().optional() })),
});
export type PublicProduct = z.infer<typeof PublicProduct>;

export const Reservation = z.object({
  /** Null when nothing is held (unlimited products). */
  token: z.string().nullable(),
  expiresAt: z.string().nullable(),
  checkoutUrl: z.string(),
});
export type Reservation = z.infer<typeof Reservation>;

/** `<product id>.<random>`, as reservations hand them out. */
export const ReservationToken = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}\.[A-Za-z0-9_-]{16,64}$/, 'a reservation token as the checkout URL carried it (kudos_reservation)');

export const ReservationStatus = z.object({
  token: z.string(),
  productId: z.string(),
  state: z.enum(['held', 'confirmed', 'expired', 'unknown']),
  expiresAt: z.string().nullable(),
  /** Whether a purchase with this token would count as a sale now. */
  canConfirm: z.boolean(),
});
