// POST /v1/history/orders: past orders and refunds, in the signed orders-in shape
// (server/webhooks/schemas.ts OrderInput), each with the date it happened.
import { z } from 'zod';
import { OrderInput } from '../webhooks/schemas.js';

/** One request carries this many; `kudos import` sends batches of this size. */
export const MAX_HISTORY_BATCH = 500;

export const HistoryBatch = z.strictObject({
  orders: z
    .array(OrderInput)
    .min(1)
    .max(MAX_HISTORY_BATCH)
    .superRefine((orders, ctx) => {
      orders.forEach((o, i) => {
        if (o.occurredAt === undefined) ctx.addIssue({ code: 'custom', path: [i, 'occurredAt'], message: 'history needs the date it happened' });
      });
    }),
});
export type HistoryBatch = z.infer<typeof HistoryBatch>;

export const HistoryResult = z.object({
  /** Per order, in the order sent: the event id it became and whether it was new. */
  results: z.array(z.object({ id: z.string(), status: z.enum(['accepted', 'duplicate']) })),
  accepted: z.number(),
  duplicates: z.number(),
});
