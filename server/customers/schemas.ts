// GET /v1/customers/:id/export, as a schema for /openapi.json (export.ts CustomerExport;
// metrics/openapi.ts checks the two agree). The stored record and trophy award documents are
// storage shapes that grow with features: their known fields are named, the rest allowed.
import { z } from 'zod';
import { CustomerState } from '../loyalty/schemas.js';

export const CustomerExportSchema = z.object({
  customerId: z.string(),
  exportedAt: z.string(),
  state: CustomerState.partial({ trophies: true }),
  record: z.looseObject({ customerId: z.string() }).nullable(),
  trophyAwards: z.array(z.looseObject({ id: z.string(), trophyId: z.string(), level: z.string(), customerId: z.string(), awardedAt: z.string() })),
  groups: z.array(
    z.object({
      code: z.string(),
      campaignId: z.string(),
      role: z.enum(['owner', 'member']),
      joinedAt: z.string(),
      status: z.string(),
      discountCode: z.string().optional(),
      percentOff: z.number().optional(),
      usedOrderId: z.string().optional(),
    }),
  ),
  surveyAnswers: z.array(
    z.object({
      surveyId: z.string(),
      shownAt: z.string(),
      dismissedAt: z.string().optional(),
      score: z.number().optional(),
      comment: z.string().optional(),
      answeredAt: z.string().optional(),
    }),
  ),
  /** Market visits, gifts, drop purchases… one list per feature (its `exporters` in server/features.ts). */
  features: z.record(z.string(), z.array(z.unknown())),
});
