// What GET /v1/customers/:id says about trophies. Kept apart from ./schemas.ts
// (which imports ../schemas.ts) so ../loyalty/schemas.ts can import it without a cycle.
import { z } from 'zod';

export const TrophyLevel = z.enum(['bronze', 'silver', 'gold']);
export type TrophyLevel = z.infer<typeof TrophyLevel>;

/** An earned, not revoked, trophy award. */
export const TrophyView = z.object({
  id: z.string(),
  awardId: z.string(),
  name: z.string(),
  description: z.string(),
  image: z.string().optional(),
  level: TrophyLevel,
  levelName: z.string().optional(),
  awardedAt: z.string(),
  /** The public page of this award, `/t/:awardId`. */
  url: z.string(),
});
export type TrophyView = z.infer<typeof TrophyView>;

/** A trophy of the shop that the customer holds at no level yet. */
export const LockedTrophyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  image: z.string().optional(),
  criteriaNarrative: z.string(),
  levels: z.array(TrophyLevel),
});
export type LockedTrophyView = z.infer<typeof LockedTrophyView>;
