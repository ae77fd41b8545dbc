// Forecast accuracy on a hand-computed fixture: SKUs in, below and above the
// target range, a stock level set after the period (not seen), a SKU that stops
// selling (forecast but not sold), one that starts (sold but not forecast).
import { describe, expect, it } from 'vitest';
import { dailyDemand, forecastAccuracy, unitsOf, type ForecastSettings, type SkuHistory } from '../../server/forecast/engine.js';

const settings: ForecastSettings = { alpha: 0.5, lookbackDays: 7, targetDays: { min: 5, max: 20 } };
const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`);

const skus: SkuHistory[] = [
  // Held-out forecast at 03-09 from 03-02..03-08: 4, 3, 1.5, 2.75, 1.375, 0.6875, 0.34375 → 0.34375/day × 7 = 2.40625; sold 4.
  // Demand at 03-16 from 03-09..03-15 (first sale 03-10): 3, 1.5, 1.25, 0.625, 0.3125, 0.15625; 2 on hand → 12.8 days: inside.
  { sku: 'A', sales: { '2026-03-02': 4, '2026-03-03': 2, '2026-03-05': 4, '2026-03-10': 3, '2026-03-12': 1 }, stock: [{ at: '2026-03-01T00:00:00.000Z', onHand: 2 }] },
  // New on 03-15 (10 sold): nothing forecast for the period, sold 10; 10/day, 30 on hand → 3 days: below. The 03-17 level is after the period.
  {
    sku: 'B',
    sales: { '2026-03-15': 10 },
    stock: [
      { at: '2026-03-14T10:00:00.000Z', onHand: 30 },
      { at: '2026-03-17T08:00:00.000Z', onHand: 0 },
    ],
  },
  // Never sells, 50 on hand: no demand, above the range.
  { sku: 'C', sales: {}, stock: [{ at: '2026-03-01T00:00:00.000Z', onHand: 50 }] },
  // Sold 2 on 03-08 then stopped: 2/day × 7 = 14 forecast, 0 sold. No stock level: not judged.
  { sku: 'D', sales: { '2026-03-08': 2 } },
  // Out of stock, no sales: 0 days, below.
  { sku: 'E', sales: {}, stock: [{ at: '2026-03-10T00:00:00.000Z', onHand: 0 }] },
  // 1 a day from 03-13: 1/day, 10 on hand → 10 days: inside. Held out: 0 forecast, 3 sold.
  { sku: 'F', sales: { '2026-03-13': 1, '2026-03-14': 1, '2026-03-15': 1 }, stock: [{ at: '2026-03-15T23:00:00.000Z', onHand: 10 }] },
];

describe('forecast accuracy', () => {
  it('smooths daily sales exponentially from the first selling day of the window', () => {
    expect(dailyDemand(skus[0]!.sales, midnight('2026-03-09'), settings)).toBe(0.34375);
    expect(dailyDemand(skus[0]!.sales, midnight('2026-03-16'), settings)).toBe(0.15625);
    expect(dailyDemand({}, midnight('2026-03-16'), settings)).toBe(0);
    // Sales on or after the forecast day are never used (held out).
    expect(dailyDemand({ '2026-03-16': 9 }, midnight('2026-03-16'), settings)).toBe(0);
  });

  it('counts SKUs whose stock days fall inside the target range, and the WAPE of the forecast made at the period start', () => {
    const a = forecastAccuracy(skus, settings, { from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z'), now: new Date('2026-03-20T12:00:00Z') });
    expect(a.asOf).toBe('2026-03-16T00:00:00.000Z');
    expect({ skus: a.skus, inRange: a.inRange, below: a.below, above: a.above, rate: a.rate }).toEqual({ skus: 5, inRange: 2, below: 2, above: 1, rate: 0.4 });
    expect(a.heldOutDays).toBe(7);
    expect(a.soldUnits).toBe(17);
    expect(a.forecastUnits).toBe(16.41); // 2.40625 + 14
    // (|4 − 2.40625| + |10 − 0| + |0 − 14| + |3 − 0|) / 17 = 28.59375 / 17
    expect(a.wape).toBe(1.682);
    const bySku = Object.fromEntries(a.perSku.map((s) => [s.sku, s]));
    expect(bySku.A).toMatchObject({ onHand: 2, dailyDemand: 0.1563, stockDays: 12.8, status: 'inside', forecastUnits: 2.41, soldUnits: 4 });
    expect(bySku.B).toMatchObject({ onHand: 30, stockSetAt: '2026-03-14T10:00:00.000Z', dailyDemand: 10, stockDays: 3, status: 'below', forecastUnits: 0, soldUnits: 10 });
    expect(bySku.C).toMatchObject({ onHand: 50, dailyDemand: 0, stockDays: null, status: 'above' });
    expect(bySku.D).toMatchObject({ onHand: null, status: null, forecastUnits: 14, soldUnits: 0 });
    expect(bySku.E).toMatchObject({ onHand: 0, stockDays: 0, status: 'below' });
    expect(bySku.F).toMatchObject({ onHand: 10, dailyDemand: 1, stockDays: 10, status: 'inside', forecastUnits: 0, soldUnits: 3 });
  });

  it('judges a period that runs on at now, and holds out only its whole days already over', () => {
    const a = forecastAccuracy(skus, settings, { from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-30T00:00:00Z'), now: new Date('2026-03-16T15:00:00Z') });
    expect(a.asOf).toBe('2026-03-16T15:00:00.000Z');
    expect(a.heldOutDays).toBe(7);
    expect(a.wape).toBe(1.682);
    expect(a.inRange).toBe(2);
  });

  it('includes both ends of the target range', () => {
    const sales = { '2026-03-13': 1, '2026-03-14': 1, '2026-03-15': 1 };
    const at = '2026-03-15T00:00:00.000Z';
    const a = forecastAccuracy(
      [
        { sku: 'min', sales, stock: [{ at, onHand: 5 }] },
        { sku: 'max', sales, stock: [{ at, onHand: 20 }] },
        { sku: 'over', sales, stock: [{ at, onHand: 21 }] },
      ],
      settings,
      { from: new Date('2026-03-15T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z'), now: new Date('2026-03-16T00:00:00Z') },
    );
    expect(Object.fromEntries(a.perSku.map((s) => [s.sku, s.status]))).toEqual({ min: 'inside', max: 'inside', over: 'above' });
    expect(a.rate).toBe(0.6667);
  });

  it('reads units from `items` words, or from `sku` and `quantity`', () => {
    expect([...unitsOf({ items: 'TEE-S*2 MUG*1 TEE-S*1 product-7*3 bad*0 x*y' })]).toEqual([
      ['TEE-S', 3],
      ['MUG', 1],
      ['product-7', 3],
    ]);
    expect([...unitsOf({ sku: 'MUG', quantity: 4 })]).toEqual([['MUG', 4]]);
    expect([...unitsOf({ sku: 'MUG' })]).toEqual([['MUG', 1]]);
    expect(unitsOf({ total: 5 }).size).toBe(0);
  });
});
