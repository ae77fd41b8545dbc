// Share-to-save request and response shapes (zod: validation, types, OpenAPI).
import { z } from 'zod';
import { Slug } from '../schemas.js';

/** Product ids as shops use them (SKUs, handles). */
export const ProductId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'product ids are 1–128 characters of letters, digits and . _ : -');

/**
 * Group codes: 12 characters of GROUP_CODE_ALPHABET (31 symbols, no 0/O/1/I/L so
 * they survive being read aloud and retyped): 59 random bits from nanoid's CSPRNG.
 */
export const GROUP_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const GROUP_CODE_LENGTH = 12;
export const GroupCode = z
  .string()
  .regex(new RegExp(`^[${GROUP_CODE_ALPHABET}]{${GROUP_CODE_LENGTH}}$`), `group codes are ${GROUP_CODE_LENGTH} characters of ${GROUP_CODE_ALPHABET}`);

const HttpUrl = z.url({ protocol: /^https?$/, error: "an http(s) URL" }).max(2048);

export const Tier = z.strictObject({
  /** Group size (owner included) that unlocks this tier. */
  members: z.number().int().min(2).max(100),
  /** Discount in percent. */
  percentOff: z.number().min(1).max(90),
});
export type Tier = z.infer<typeof Tier>;

export const CampaignScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('product'), productId: ProductId }),
  z.strictObject({ kind: z.literal('cart') }),
]);

export const CampaignInput = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    scope: CampaignScope,
    tiers: z.array(Tier).min(1).max(5),
    windowHours: z.number().int().min(1).max(24 * 30),
    maxMembers: z.number().int().min(2).max(100),
    newCustomersOnly: z.boolean().default(false),
    /** How many open groups one customer may be in at once for this campaign. */
    maxOpenGroupsPerCustomer: z.number().int().min(1).max(20).default(3),
    /** Page the share link opens (`?kudos_group=CODE` is added); default: the page the group was started on. */
    landingUrl: HttpUrl.optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * Who issues members' single-use codes: Kudos (`prefix` + group code + a secret), or
     * the shop's backend, which hears `group.codes_needed` and supplies each member's
     * code from its own checkout platform (members see "on its way" until then).
     */
    codes: z
      .discriminatedUnion('issuer', [
        z.strictObject({ issuer: z.literal('kudos'), prefix: z.string().regex(/^[A-Z0-9-]{0,12}$/).default('') }),
        z.strictObject({ issuer: z.literal('shop') }),
      ])
      .default({ issuer: 'kudos', prefix: '' }),
  })
  .superRefine((c, ctx) => {
    c.tiers.forEach((t, i) => {
      const prev = c.tiers[i - 1];
      if (prev && (t.members <= prev.members || t.percentOff <= prev.percentOff)) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i], message: 'each tier needs more members and a larger discount than the one before' });
      }
    });
    const top = c.tiers.at(-1);
    if (top && c.maxMembers < top.members) {
      ctx.addIssue({ code: 'custom', path: ['maxMembers'], message: `must be at least ${top.members}, the largest tier` });
    }
    if (c.startsAt && c.endsAt && Date.parse(c.endsAt) <= Date.parse(c.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type CampaignInput = z.infer<typeof CampaignInput>;

export interface Campaign extends CampaignInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}
/** A campaign as stored and shown to the shop (secret key): the input's fields, defaults applied. */
export const CampaignDefinition = z.object({ ...CampaignInput.shape, id: Slug, createdAt: z.string(), updatedAt: z.string() });

/** What a publishable key may read: the offer, never the abuse settings or code prefix. */
export const PublicCampaign = z.object({
  id: Slug,
  name: z.string(),
  scope: CampaignScope,
  tiers: z.array(Tier),
  windowHours: z.number(),
  maxMembers: z.number(),
  newCustomersOnly: z.boolean(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  active: z.boolean(),
});

export const GroupCreateInput = z.strictObject({
  campaign: Slug,
  productId: ProductId.optional(),
  /** The page the shopper is on, for the share link when the campaign has no landingUrl. */
  pageUrl: HttpUrl.optional(),
});

export const GroupStatus = z.enum(['open', 'unlocked', 'full', 'closed', 'expired']);
export type GroupStatus = z.infer<typeof GroupStatus>;

export const GroupView = z.object({
  code: z.string(),
  campaign: z.string(),
  productId: z.string().nullable(),
  shareUrl: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: GroupStatus,
  members: z.number().int(),
  maxMembers: z.number().int(),
  tiers: z.array(Tier),
  /** The tier reached, or null. */
  tier: Tier.nullable(),
  /** The next tier to reach while the window is open, with how many more people it needs. */
  nextTier: Tier.extend({ needed: z.number().int() }).nullable(),
  /** The caller's own membership; absent for anyone who is not in the group. */
  you: z
    .object({
      role: z.enum(['owner', 'member']),
      joinedAt: z.string(),
      discountCode: z.string().nullable(),
      percentOff: z.number().nullable(),
      used: z.boolean(),
      /** A discount is due and the shop's backend has not supplied its code yet. */
      codePending: z.boolean(),
    })
    .optional(),
});
export type GroupView = z.infer<typeof GroupView>;

/** Discount codes as checkout platforms make them; the shop's backend supplies them for `issuer: "shop"` campaigns. */
export const DiscountCode = z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, 'discount codes are 3–64 letters, digits and . _ -');

export const SuppliedCodeInput = z.strictObject({
  discountCode: DiscountCode,
  /** The discount this code gives: it must be the one the member is due, so a code made before an upgrade is refused. */
  percentOff: z.number().min(1).max(90),
});

/** A member as the shop sees it (secret key): who, and where their code stands. */
export const GroupMemberView = z.object({
  customerId: z.string(),
  role: z.enum(['owner', 'member']),
  joinedAt: z.string(),
  percentOff: z.number().nullable(),
  discountCode: z.string().nullable(),
  codePending: z.boolean(),
  usedOrderId: z.string().nullable(),
});
export type GroupMemberView = z.infer<typeof GroupMemberView>;
