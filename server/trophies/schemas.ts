// Trophy request shapes and stored documents. Strict objects: unknown fields are 400s.
import { z } from 'zod';
import { BadgeCriteria } from '../loyalty/schemas.js';
import { CustomerId, Slug } from '../schemas.js';
import { TrophyLevel } from './view.js';

export { TrophyLevel };

const LEVEL_ORDER: readonly TrophyLevel[] = ['bronze', 'silver', 'gold'];

const HttpsImage = z
  .string()
  .max(2048)
  .regex(/^https:\/\/[^\s"'<>\\]+$/, 'an https:// image URL')
  .refine((s) => URL.canParse(s), { message: 'an https:// image URL' });

export const TrophyLevelInput = z.strictObject({
  level: TrophyLevel,
  name: z.string().trim().min(1).max(80).optional(),
  description: z.string().max(280).optional(),
  /** Award this level automatically once the customer meets these badge-style criteria. */
  criteria: BadgeCriteria.optional(),
});

export const TrophyInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().min(1).max(500),
  image: HttpsImage.optional(),
  criteriaNarrative: z.string().trim().min(1).max(1000),
  levels: z
    .array(TrophyLevelInput)
    .min(1)
    .max(3)
    .superRefine((levels, ctx) => {
      // Bronze before silver before gold, each at most once: the page and widget rely on the order.
      for (let i = 1; i < levels.length; i++) {
        if (LEVEL_ORDER.indexOf(levels[i]!.level) <= LEVEL_ORDER.indexOf(levels[i - 1]!.level)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'level'],
            message: 'levels are distinct and ordered bronze, silver, gold',
          });
        }
      }
    }),
});
export type TrophyInput = z.infer<typeof TrophyInput>;

export const TrophyDefinition = TrophyInput.extend({
  id: Slug,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TrophyDefinition = z.infer<typeof TrophyDefinition>;

/** Client-chosen idempotency key for an award (a retry with the same id changes nothing). */
export const AwardRequestId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'ids are 1–128 characters of letters, digits and . _ : -');

export const AwardInput = z.strictObject({
  customerId: CustomerId,
  level: TrophyLevel.optional(),
  reason: z.string().trim().min(1).max(500),
  id: AwardRequestId.optional(),
});
export type AwardInput = z.infer<typeof AwardInput>;

export const RevocationInput = z.strictObject({
  reason: z.string().trim().min(1).max(500),
});

/** Award ids are nanoid(21): unguessable, URL-safe. */
export const AwardId = z.string().regex(/^[A-Za-z0-9_-]{21}$/, 'an award id');

/**
 * One award, as kept in the `trophy-awards` collection. It carries a snapshot of
 * the trophy as awarded, so the public page and credential stay what was issued
 * even if the shop edits the trophy later. `customerId` is the shop's own id,
 * used only for the customer's state; public outputs carry `identityHash` only.
 */
export interface AwardDocument {
  id: string;
  trophyId: string;
  level: TrophyLevel;
  customerId: string;
  reason: string;
  awardedAt: string;
  /** sha256(customerId + salt), hex. */
  identityHash: string;
  salt: string;
  requestId?: string;
  trophy: { name: string; description: string; image?: string; criteriaNarrative: string; levelName?: string; levelDescription?: string };
  revokedAt?: string;
  revocationReason?: string;
  /** Position in the shop's revocation status lists, given the first time the credential is needed (status-list.ts). */
  statusIndex?: number;
}

/** `trophy-holders/<customerId>`: the customer's live awards, the lock that keeps one award per trophy level. */
export interface HolderDocument {
  awards: { awardId: string; trophyId: string; level: TrophyLevel }[];
}

/** `trophy-award-requests/<trophyId>:<requestId>`: which award a client id produced. */
export interface AwardRequestDocument {
  awardId: string;
  fingerprint: string;
}

export const AwardResponse = z.object({
  awardId: z.string(),
  trophyId: z.string(),
  level: TrophyLevel,
  reason: z.string(),
  awardedAt: z.string(),
  url: z.string(),
  credentialUrl: z.string(),
  revokedAt: z.string().optional(),
  revocationReason: z.string().optional(),
});
export type AwardResponse = z.infer<typeof AwardResponse>;
