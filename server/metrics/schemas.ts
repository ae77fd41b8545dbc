// GET /v1/metrics query. A day (YYYY-MM-DD, midnight UTC) or an ISO datetime.
import { z } from 'zod';

const DAY_MS = 86_400_000;
/** Two years and a day: the survey tallies keep 104 weeks. */
export const MAX_PERIOD_DAYS = 731;
export const DEFAULT_PERIOD_DAYS = 84;

const Instant = z.union([
  z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`)),
  z.iso.datetime({ offset: true }).transform((d) => new Date(d)),
], { error: 'a date (YYYY-MM-DD) or an ISO 8601 datetime' });

export const MetricsQuery = z
  .strictObject({
    /** Start of the period, included. Default: 12 weeks before `to`. */
    from: Instant.optional(),
    /** End of the period, excluded. Default: now. */
    to: Instant.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from.getTime() >= q.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must come after "from"' });
    } else if (q.from && q.to && q.to.getTime() - q.from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `a period is at most ${MAX_PERIOD_DAYS} days` });
    }
  });

export function periodOf(query: z.output<typeof MetricsQuery>, now: Date): { from: Date; to: Date } {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  return { from, to };
}
