// Forecast accuracy, pure: units sold per SKU and UTC day, stock levels as the
// shop set them, and the shop's settings in; demand forecasts, stock days and
// the forecast's error out. No I/O and no clock: the caller passes `now`.
// docs/forecast.md states every definition here in words.

export const DAY_MS = 86_400_000;

export interface ForecastSettings {
  /** Smoothing factor of simple exponential smoothing, 0 < alpha ≤ 1: the weight of the latest day. */
  alpha: number;
  /** Days of sales before the forecast day the smoothing runs over. */
  lookbackDays: number;
  /** The shop's target range of stock days, both ends included. */
  targetDays: { min: number; max: number };
}

export const DEFAULT_FORECAST_SETTINGS: ForecastSettings = { alpha: 0.3, lookbackDays: 56, targetDays: { min: 14, max: 60 } };

export interface StockLevel {
  /** When the shop (API, console, platform inventory update) said so. */
  at: string;
  onHand: number;
}

export interface SkuHistory {
  sku: string;
  /** UTC day (YYYY-MM-DD) → units sold that day (purchases by their own date). */
  sales: Readonly<Record<string, number>>;
  /** Stock levels, oldest first. */
  stock?: readonly StockLevel[];
}

export const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Daily demand forecast for the days from `origin` (a UTC midnight) on, from the
 * sales of the days before it only: simple exponential smoothing over the
 * `lookbackDays` before `origin` (days without a sale count as 0), starting at
 * the SKU's first day with a sale when that is later. The level starts at the
 * first day's sales; each next day: level = alpha · sold + (1 − alpha) · level.
 * The forecast is the last level, the same for every day ahead. 0 without any
 * sale in the window.
 */
export function dailyDemand(sales: SkuHistory['sales'], origin: number, settings: ForecastSettings): number {
  const windowStart = origin - settings.lookbackDays * DAY_MS;
  let first: number | undefined;
  for (const [day, units] of Object.entries(sales)) {
    const t = Date.parse(`${day}T00:00:00Z`);
    if (units > 0 && t >= windowStart && t < origin && (first === undefined || t < first)) first = t;
  }
  if (first === undefined) return 0;
  let level = sales[dayOf(first)] ?? 0;
  for (let t = first + DAY_MS; t < origin; t += DAY_MS) level = settings.alpha * (sales[dayOf(t)] ?? 0) + (1 - settings.alpha) * level;
  return level;
}

/** The last stock level set at or before `at`, if any. */
export function stockAt(levels: readonly StockLevel[] | undefined, at: number): StockLevel | undefined {
  let found: StockLevel | undefined;
  for (const l of levels ?? []) if (Date.parse(l.at) <= at && (!found || Date.parse(l.at) >= Date.parse(found.at))) found = l;
  return found;
}

export type StockStatus = 'below' | 'inside' | 'above';

export interface SkuForecast {
  sku: string;
  /** Stock at the moment the period is judged (its end, or now), and when it was set. */
  onHand: number | null;
  stockSetAt: string | null;
  /** Forecast units per day from that moment, four decimals. */
  dailyDemand: number;
  /** onHand / dailyDemand, one decimal; null when nothing is forecast to sell (then any stock is above the range). */
  stockDays: number | null;
  status: StockStatus | null;
  /** Held-out check over the period's whole days: units forecast at its start, and units sold. */
  forecastUnits: number;
  soldUnits: number;
}

export interface ForecastAccuracy {
  from: string;
  to: string;
  /** The moment stock days are judged at: the period's end, or now when the period runs on. */
  asOf: string;
  method: string;
  settings: ForecastSettings;
  /** SKUs with a stock level at `asOf`. */
  skus: number;
  /** Of them, those whose stock days fall inside targetDays. */
  inRange: number;
  below: number;
  above: number;
  /** The headline: inRange / skus (a fraction, four decimals); null without stock levels. */
  rate: number | null;
  /** Whole UTC days of the period already over: the held-out days the forecast is checked on. */
  heldOutDays: number;
  /** Units forecast for those days at the period's start (from sales before it only) and units sold in them, all SKUs. */
  forecastUnits: number;
  soldUnits: number;
  /** Σ|sold − forecast| / Σ sold over SKUs (four decimals); null when nothing sold in the held-out days. */
  wape: number | null;
  perSku: SkuForecast[];
}

export const FORECAST_METHOD =
  'Simple exponential smoothing of units sold per UTC day over the lookback window (level starts at the first selling day; level = alpha × sold + (1 − alpha) × level), flat over the days ahead.';

const ratio = (count: number, total: number) => (total > 0 ? round(count / total, 4) : null);

export function forecastAccuracy(skus: readonly SkuHistory[], settings: ForecastSettings, period: { from: Date; to: Date; now: Date }): ForecastAccuracy {
  const asOf = Math.min(period.to.getTime(), period.now.getTime());
  // Stock days from the moment judged: today's sales so far are not a whole day, so they wait.
  const origin = dayStart(asOf);
  // Held out: the period's whole days already over, forecast from the days before the first one.
  const heldOutStart = Math.ceil(period.from.getTime() / DAY_MS) * DAY_MS;
  const heldOutEnd = dayStart(asOf);
  const heldOutDays = Math.max(0, Math.round((heldOutEnd - heldOutStart) / DAY_MS));
  let inRange = 0;
  let below = 0;
  let above = 0;
  let judged = 0;
  let forecastTotal = 0;
  let soldTotal = 0;
  let errorTotal = 0;
  const perSku: SkuForecast[] = [];
  for (const s of [...skus].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))) {
    const demand = dailyDemand(s.sales, origin, settings);
    const level = stockAt(s.stock, asOf);
    let stockDays: number | null = null;
    let status: StockStatus | null = null;
    if (level) {
      judged++;
      const days = level.onHand === 0 ? 0 : demand > 0 ? level.onHand / demand : Infinity;
      stockDays = Number.isFinite(days) ? round(days, 1) : null;
      status = days < settings.targetDays.min ? 'below' : days > settings.targetDays.max ? 'above' : 'inside';
      if (status === 'inside') inRange++;
      else if (status === 'below') below++;
      else above++;
    }
    let sold = 0;
    for (let t = heldOutStart; t < heldOutEnd; t += DAY_MS) sold += s.sales[dayOf(t)] ?? 0;
    const forecast = heldOutDays > 0 ? dailyDemand(s.sales, heldOutStart, settings) * heldOutDays : 0;
    forecastTotal += forecast;
    soldTotal += sold;
    errorTotal += Math.abs(sold - forecast);
    if (!level && sold === 0 && forecast === 0 && demand === 0) continue;
    perSku.push({
      sku: s.sku,
      onHand: level?.onHand ?? null,
      stockSetAt: level?.at ?? null,
      dailyDemand: round(demand, 4),
      stockDays,
      status,
      forecastUnits: round(forecast, 2),
      soldUnits: sold,
    });
  }
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    asOf: new Date(asOf).toISOString(),
    method: FORECAST_METHOD,
    settings,
    skus: judged,
    inRange,
    below,
    above,
    rate: ratio(inRange, judged),
    heldOutDays,
    forecastUnits: round(forecastTotal, 2),
    soldUnits: soldTotal,
    wape: ratio(errorTotal, soldTotal),
    perSku,
  };
}

/** `items` of a purchase ("SKU*qty" words, as connectors write them), or its `sku` and `quantity`. */
export function unitsOf(properties: Readonly<Record<string, unknown>> | undefined): Map<string, number> {
  const units = new Map<string, number>();
  const add = (sku: string, qty: number) => {
    if (!sku || !Number.isInteger(qty) || qty <= 0) return;
    units.set(sku, (units.get(sku) ?? 0) + qty);
  };
  const items = properties?.items;
  if (typeof items === 'string') {
    for (const word of items.split(/\s+/)) {
      const star = word.lastIndexOf('*');
      if (star <= 0) add(word, 1);
      else add(word.slice(0, star), Number(word.slice(star + 1)));
    }
  } else if (typeof properties?.sku === 'string') {
    const qty = properties.quantity;
    add(properties.sku.trim(), typeof qty === 'number' ? qty : 1);
  }
  return units;
}
