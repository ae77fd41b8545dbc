// GET /v1/segments answer (engine.ts Segments; segments/openapi.ts checks the two agree).
import { z } from 'zod';

const Rate = z.number().nullable();
const Cohort = z.object({ cohort: z.number(), retained: z.number(), rate: Rate });
export const SegmentsResponse = z.object({
  from: z.string(),
  to: z.string(),
  drops: z.array(
    z.object({
      productId: z.string(),
      name: z.string(),
      views: z.number(),
      holds: z.number(),
      purchases: z.number(),
      holdRate: Rate,
      purchaseRate: Rate,
      conversion: Rate,
    }),
  ),
  dropAcquired: Cohort,
  giftRetention: z.object({ gifted: Cohort, notGifted: Cohort }),
});
