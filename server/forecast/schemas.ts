// Stock levels in, forecast settings: strict, with the bounds docs/forecast.md states.
import { z } from 'zod';

/** A SKU as shops and platforms write it: printable, no spaces or `*` (items words are `SKU*qty`). */
export const Sku = z.string().regex(/^[^\s*\u0000-\u001f]{1,255}$/, '1–255 characters, no spaces or "*"');

export const StockLevelInput = z.strictObject({
  sku: Sku,
  onHand: z.number().int().min(0).max(1_000_000_000),
  /** When the count was true (default: now); an older level never replaces a newer one. */
  at: z.iso.datetime({ offset: true }).optional(),
});

export const StockBatch = z.strictObject({
  levels: z.array(StockLevelInput).min(1).max(1000),
});
export type StockBatch = z.infer<typeof StockBatch>;

export const ForecastSettingsInput = z
  .strictObject({
    alpha: z.number().gt(0).max(1),
    lookbackDays: z.number().int().min(7).max(365),
    targetDays: z.strictObject({ min: z.number().min(0).max(365), max: z.number().min(0).max(730) }),
  })
  .superRefine((s, ctx) => {
    if (s.targetDays.max <= s.targetDays.min) ctx.addIssue({ code: 'custom', path: ['targetDays', 'max'], message: 'must be above min' });
  });

// Answers (engine.ts ForecastAccuracy; forecast/openapi.ts checks the two agree).
const Settings = z.object({ alpha: z.number(), lookbackDays: z.number(), targetDays: z.object({ min: z.number(), max: z.number() }) });
export const ForecastResponse = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  method: z.string(),
  settings: Settings,
  skus: z.number(),
  inRange: z.number(),
  below: z.number(),
  above: z.number(),
  rate: z.number().nullable(),
  heldOutDays: z.number(),
  forecastUnits: z.number(),
  soldUnits: z.number(),
  wape: z.number().nullable(),
  perSku: z.array(
    z.object({
      sku: z.string(),
      onHand: z.number().nullable(),
      stockSetAt: z.string().nullable(),
      dailyDemand: z.number(),
      stockDays: z.number().nullable(),
      status: z.enum(['below', 'inside', 'above']).nullable(),
      forecastUnits: z.number(),
      soldUnits: z.number(),
    }),
  ),
});
export const ForecastSettingsResponse = Settings;
export const StockResult = z.object({ ok: z.literal(true), levels: z.number() });
