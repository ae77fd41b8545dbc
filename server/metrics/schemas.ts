// GET /v1/metrics query. A day (YYYY-MM-DD, midnight UTC) or an ISO datetime.
import { z } from 'zod';
import { ForecastResponse } from '../forecast/schemas.js';
import { ATTRIBUTION_SOURCES } from '../loyalty/engine/customer.js';

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

// GET /v1/metrics answer (engine.ts Metrics; metrics/openapi.ts checks the two agree).
const Rate = z.number().nullable();
/** A KPI: its value over the period, and the same shape once per week. */
const kpi = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, series: z.array(z.object({ ...shape, weekStart: z.string() })) });
const Share = z.object({ purchases: z.number(), rate: Rate });

const NpsFigures = z.object({ responses: z.number(), promoters: z.number(), passives: z.number(), detractors: z.number(), nps: z.number().nullable() });

export const MetricsResponse = z.object({
  from: z.string(),
  to: z.string(),
  weeks: z.array(z.string()),
  returnCorrectedRetention: kpi({ buyers: z.number(), retained: z.number(), rate: Rate }),
  retention: kpi({ cohort: z.number(), retained: z.number(), rate: Rate }),
  repeatPurchase: kpi({ customers: z.number(), repeaters: z.number(), rate: Rate }),
  repeat30: kpi({ cohort: z.number(), repeated: z.number(), pending: z.number(), rate: Rate }),
  nps: kpi({ ...NpsFigures.shape, inCart: NpsFigures, postDelivery: NpsFigures }),
  communityConversion: kpi({
    purchases: z.number(),
    recognition: Share,
    sources: z.object(Object.fromEntries(ATTRIBUTION_SOURCES.map((s) => [s, Share])) as Record<(typeof ATTRIBUTION_SOURCES)[number], typeof Share>),
    any: Share,
  }),
  awards: kpi({ badges: z.number(), trophies: z.number(), total: z.number() }),
  points: kpi({ issued: z.number(), redeemed: z.number(), clawedBack: z.number(), expired: z.number() }),
  groupUnlock: kpi({ created: z.number(), unlocked: z.number(), rate: Rate }),
  /** Not from the customer records: GET /v1/forecast's answer for the same period (metrics/routes.ts adds it). */
  forecastAccuracy: ForecastResponse,
  definitions: z.record(z.string(), z.string()),
});
