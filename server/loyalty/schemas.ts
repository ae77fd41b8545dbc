// Loyalty's shapes: badges, the customer's state, rewards and redemptions, guest claims,
// the program (earn rules, tiers), the customer list.
import { z } from 'zod';
import { LockedTrophyView, TrophyView } from '../trophies/view.js';
import { Award, Currency, CustomerId, EventId, EventType, Properties, PropertyPath, Slug } from '../schemas.js';
import { BROWSER_CAUSED_EVENT_TYPES, BROWSER_SAFE_EVENT_TYPES, PurchaseProperties } from '../events/schemas.js';
import { pageOf } from '../paging.js';

const MatchValue = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

export const BadgeCriteria = z
  .strictObject({
    event: EventType,
    /** Number of events. */
    count: z.number().int().min(1).max(1_000_000).optional(),
    /** Sum of a numeric property, with `atLeast`. */
    sumOf: PropertyPath.optional(),
    atLeast: z.number().finite().positive().optional(),
    /** The first event of the type. */
    first: z.literal(true).optional(),
    /** An event in each of N consecutive ISO weeks (Monday to Sunday, UTC). */
    streakWeeks: z.number().int().min(2).max(520).optional(),
    /** Only events whose properties equal these count, e.g. {"channel": "market"}. */
    where: z
      .record(PropertyPath, MatchValue)
      .refine((w) => Object.keys(w).length >= 1 && Object.keys(w).length <= 5, { message: '1 to 5 properties' })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const kinds = [
      c.count !== undefined,
      c.sumOf !== undefined || c.atLeast !== undefined,
      c.first !== undefined,
      c.streakWeeks !== undefined,
    ].filter(Boolean).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          'give exactly one of "count" (number of events), "sumOf" with "atLeast" (sum of a numeric property), "first": true, or "streakWeeks"',
      });
    } else if ((c.sumOf === undefined) !== (c.atLeast === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.sumOf === undefined ? 'sumOf' : 'atLeast'],
        message: '"sumOf" and "atLeast" go together',
      });
    }
  });
export type BadgeCriteria = z.infer<typeof BadgeCriteria>;

const Icon = z
  .string()
  .min(1)
  .max(2048)
  .refine((s) => [...s].length <= 8 || /^https:\/\/[^\s"'<>]+$/.test(s), {
    message: 'an emoji or short text (at most 8 characters) or an https:// image URL',
  });

export const BadgeInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().max(280).optional(),
  icon: Icon.optional(),
  criteria: BadgeCriteria,
  /** After a refund, take the badge back when its criteria no longer hold ("revoke"), or let the customer keep it. */
  onRefund: z.enum(['keep', 'revoke']).optional(),
  /** At most this many customers get it ("the first 100 at our market stall"). */
  maxAwards: z.number().int().min(1).max(10_000_000).optional(),
  /** false retires it: no longer awarded nor shown to shoppers as one to earn; those who hold it keep it. */
  active: z.boolean().default(true),
});
export type BadgeInput = z.infer<typeof BadgeInput>;

export const BadgeDefinition = BadgeInput.extend({
  id: Slug,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BadgeDefinition = z.infer<typeof BadgeDefinition>;
export const BadgeList = pageOf(BadgeDefinition);

const BadgeSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  icon: z.string().optional(),
});

export const CustomerState = z.object({
  customerId: z.string(),
  /** Spendable points now. */
  points: z.number(),
  /** Earned, spendable after the pending period. */
  pendingPoints: z.number(),
  /** When the balance expires for inactivity (absent: never, or nothing to expire). */
  pointsExpireAt: z.string().optional(),
  tier: z.string().nullable(),
  tierProgress: z
    .object({
      basis: z.enum(['points', 'spend']),
      windowDays: z.number().nullable(),
      value: z.number(),
      current: z.object({ name: z.string(), min: z.number() }).nullable(),
      next: z.object({ name: z.string(), min: z.number(), remaining: z.number() }).nullable(),
    })
    .nullable(),
  /** Latest ledger lines, newest first. */
  activity: z.array(
    z.object({
      kind: z.enum(['earn', 'clawback', 'redeem', 'expire']),
      points: z.number(),
      at: z.string(),
      orderId: z.string().optional(),
      rewardId: z.string().optional(),
      availableAt: z.string().optional(),
    }),
  ),
  badges: z.array(BadgeSummary.extend({ awardedAt: z.string() })),
  lockedBadges: z.array(
    BadgeSummary.extend({
      progress: z.object({
        current: z.number(),
        target: z.number(),
        event: z.string(),
        property: z.string().optional(),
        /** "weeks" for streaks ("2 of 4 weeks in a row"); otherwise events or the summed property. */
        unit: z.literal('weeks').optional(),
      }),
    }),
  ),
  trophies: z.array(TrophyView),
  /** Trophies of the shop held at no level, with how to earn them (always sent by GET /v1/customers/:id). */
  lockedTrophies: z.array(LockedTrophyView).optional(),
  /** Micro-gifts won with orders (server/gifts), newest first (always sent by GET /v1/customers/:id). */
  gifts: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().optional(),
        kind: z.enum(['code', 'points']),
        code: z.string().optional(),
        points: z.number().optional(),
        orderId: z.string(),
        grantedAt: z.string(),
      }),
    )
    .optional(),
});
export type CustomerState = z.infer<typeof CustomerState>;

const Discount = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), amount: z.number().finite().positive().max(100_000), currency: Currency }),
  z.strictObject({ kind: z.literal('percent'), percent: z.number().finite().positive().max(100) }),
]);

export const RewardInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().max(280).optional(),
  /** Points it costs. */
  cost: z.number().int().min(1).max(10_000_000),
  discount: Discount,
  active: z.boolean().default(true),
});
/** A reward as stored and answered: the input with its id and last change. */
export const Reward = RewardInput.extend({ id: Slug, updatedAt: z.string() });
export type Reward = z.output<typeof Reward>;
export const RewardList = pageOf(Reward);

/** POST /v1/customers/:id/redemptions: the single-use code and what it cost. */
export const Redemption = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  rewardId: z.string(),
  name: z.string(),
  discount: Discount,
  code: z.string(),
  points: z.number(),
  /** Spendable points left. */
  balance: z.number(),
});

export const RedemptionInput = z.strictObject({
  rewardId: Slug,
  /** Idempotency key: a retry with the same id returns the same code and spends nothing more. */
  id: EventId.optional(),
});

export const ClaimInput = z.strictObject({
  /** The guest order's purchase, as it would have been sent for a known customer (no customerId). */
  event: z
    .strictObject({
      id: EventId,
      type: z.literal('purchase'),
      properties: z.intersection(Properties, PurchaseProperties),
      occurredAt: z.iso.datetime({ offset: true }).optional(),
    }),
  /** Where the guest should land, e.g. the shop's sign-in page; `?kudos_claim=TOKEN` is appended. */
  returnUrl: z.url({ protocol: /^https?$/ }).optional(),
  expiresInDays: z.number().int().min(1).max(365).default(30),
});

export const ClaimAcceptInput = z.strictObject({
  /** With the secret key: who claims. With a publishable key the verified shopper does. */
  customerId: CustomerId.optional(),
});

/** POST /v1/order-claims: the link's token (and the URL carrying it, with returnUrl). */
export const ClaimLink = z.object({ token: z.string(), expiresAt: z.string(), url: z.string().optional() });
/** GET /v1/order-claims/:token: what a guest sees before accepting. */
export const ClaimStatus = z.object({
  status: z.enum(['open', 'claimed', 'expired']),
  expiresAt: z.string(),
  order: z.object({ total: z.number(), currency: z.string() }),
});
/** POST /v1/order-claims/:token/accept: who got the order, and what it earned them. */
export const ClaimAccepted = z.object({ customerId: z.string(), event: z.string(), awards: z.array(Award), status: z.literal('claimed') });

// The loyalty program of a shop: how points are earned, when they can be spent,
// when they expire, and the tiers.
/**
 * How often a rule may pay one customer: at most `perDay` events per UTC day
 * (server time), and with `target` at most one per day for each value of that
 * property (e.g. one `share` per `productId` per day; an event without it earns
 * nothing). Required for browser-safe event types, which anyone can send.
 */
const EarnCap = z.strictObject({
  perDay: z.number().int().min(1).max(100),
  target: PropertyPath.optional(),
});
export type EarnCap = z.infer<typeof EarnCap>;

const EarnRule = z.strictObject({
  event: EventType,
  /** Points per event, or per unit of `per` (e.g. 1 point per euro of `total`). */
  points: z.number().int().min(1).max(100_000),
  per: PropertyPath.optional(),
  cap: EarnCap.optional(),
});

/** Browser-caused events come from anyone holding the public key: a rule paying for one must be capped and fixed. */
function refuseUncappedBrowserRules(earn: readonly z.infer<typeof EarnRule>[], ctx: z.RefinementCtx): void {
  earn.forEach((rule, i) => {
    if (!BROWSER_CAUSED_EVENT_TYPES.has(rule.event)) return;
    if (rule.cap === undefined) {
      const how = BROWSER_SAFE_EVENT_TYPES.has(rule.event)
        ? 'can be sent by any browser with the publishable key'
        : 'are recorded for any browser with the publishable key';
      const example = rule.event === 'survey_response' ? '{"perDay": 1, "target": "surveyId"} (one per survey per day)' : '{"perDay": 1, "target": "productId"} (one per product per day)';
      ctx.addIssue({
        code: 'custom',
        path: ['earn', i, 'cap'],
        message: `"${rule.event}" events ${how}: points for them need a cap, e.g. "cap": ${example}`,
      });
    }
    if (rule.per !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['earn', i, 'per'],
        message: `"${rule.event}" events come from browsers: their properties are not trusted, so points for them are a fixed number per event (no "per")`,
      });
    }
  });
}

const TierLevel = z.strictObject({
  name: z.string().trim().min(1).max(40),
  /** Points (or spend) in the window needed to reach this tier. */
  min: z.number().finite().min(0),
});

export const ProgramInput = z.strictObject({
  earn: z.array(EarnRule).max(50).default([{ event: 'purchase', points: 1, per: 'total' }]),
  /** Days before earned points become spendable (0: at once). */
  pendingDays: z.number().int().min(0).max(365).default(0),
  /** Points expire after this many days without any activity (null: never). */
  expiryDays: z.number().int().min(1).max(3650).nullable().default(null),
  tiers: z
    .strictObject({
      basis: z.enum(['points', 'spend']),
      /** Rolling window in days (null: lifetime). */
      windowDays: z.number().int().min(1).max(3650).nullable().default(365),
      levels: z
        .array(TierLevel)
        .min(1)
        .max(10)
        .refine((levels) => levels.every((l, i) => i === 0 || l.min > levels[i - 1]!.min), {
          message: 'levels go from the lowest "min" to the highest, each higher than the one before',
        }),
    })
    .nullable()
    .default(null),
})
  .superRefine((program, ctx) => refuseUncappedBrowserRules(program.earn, ctx));
export type Program = z.output<typeof ProgramInput>;
export const DEFAULT_PROGRAM: Program = ProgramInput.parse({});

/** GET /v1/customers: a page of the shop's customers, in id order, optionally those whose id starts with `q`. */
export const CustomerListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** `nextCursor` of the previous page. */
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'the nextCursor of a previous page').optional(),
  /** The start of a customer id (an email used as id works too). */
  q: z.string().trim().max(128).optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

export const CustomerListItem = z.object({
  customerId: z.string(),
  points: z.number(),
  tier: z.string().nullable(),
  badges: z.number().int(),
  createdAt: z.string(),
  lastActivityAt: z.string().nullable(),
});
export const CustomerList = z.object({ data: z.array(CustomerListItem), nextCursor: z.string().nullable() });
