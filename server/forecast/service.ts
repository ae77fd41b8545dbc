// Where forecast accuracy's facts live: one document per SKU (units sold per UTC
// day, stock levels as set) and the shop's settings. Purchases are counted once
// each (only events the store accepted: redeliveries are duplicates), on their
// own date, history imports included.
import { createHash } from 'node:crypto';
import { MAX_HISTORY_DAYS } from '../history/bounds.js';
import type { DocumentRef, EventOutcome, RecordedEvent, Store } from '../store/store.js';
import { updateOnce } from '../events/after-record.js';
import { DAY_MS, DEFAULT_FORECAST_SETTINGS, dayOf, forecastAccuracy, unitsOf, type ForecastAccuracy, type ForecastSettings, type SkuHistory, type StockLevel } from './engine.js';

export const SKU_STATS = 'sku-stats';
export const FORECAST_SETTINGS = 'forecast-settings';
const SETTINGS_REF = { collection: FORECAST_SETTINGS, id: 'settings' };
/** Stock levels kept per SKU (newest): enough to judge any recent period. */
export const MAX_STOCK_LEVELS = 100;

const skuRef = (sku: string) => ({ collection: SKU_STATS, id: createHash('sha256').update(sku).digest('base64url').slice(0, 27) });

/** Days older than the history bound go: nothing can be dated there any more. */
function pruned(sales: Record<string, number>, now: Date): Record<string, number> {
  const oldest = dayOf(now.getTime() - MAX_HISTORY_DAYS * DAY_MS);
  return Object.fromEntries(Object.entries(sales).filter(([day]) => day >= oldest));
}

/** Adds accepted purchases' units to their SKUs' days. */
export async function recordSkuSales(
  store: Store,
  now: () => Date,
  shopId: string,
  events: readonly RecordedEvent[],
  outcomes: readonly EventOutcome[],
  pending?: DocumentRef,
): Promise<void> {
  const bySku = new Map<string, Map<string, number>>();
  events.forEach((e, i) => {
    if (e.type !== 'purchase' || outcomes[i]?.status !== 'accepted') return;
    const day = e.occurredAt.slice(0, 10);
    for (const [sku, qty] of unitsOf(e.properties)) {
      const days = bySku.get(sku) ?? new Map<string, number>();
      days.set(day, (days.get(day) ?? 0) + qty);
      bySku.set(sku, days);
    }
  });
  if (bySku.size === 0) return;
  const skus = [...bySku.keys()];
  // Units are added, not keyed by event: once per batch, marked in its pending follow-ups in the same write.
  await updateOnce(store, shopId, pending, 'forecast', skus.map(skuRef), (current) =>
    current.map((doc, i) => {
      const sku = skus[i]!;
      const known = (doc as SkuHistory | undefined) ?? { sku, sales: {} };
      const sales = { ...known.sales };
      for (const [day, qty] of bySku.get(sku)!) sales[day] = (sales[day] ?? 0) + qty;
      return { ...known, sku, sales: pruned(sales, now()) };
    }),
  );
}

/** Sets stock levels; an older level (a late platform delivery) joins the history without replacing a newer one. */
export async function setStockLevels(store: Store, shopId: string, levels: readonly { sku: string; onHand: number; at: string }[]): Promise<void> {
  const skus = [...new Set(levels.map((l) => l.sku))];
  await store.updateDocuments(shopId, skus.map(skuRef), (current) => ({
    values: current.map((doc, i) => {
      const sku = skus[i]!;
      const known = (doc as SkuHistory | undefined) ?? { sku, sales: {} };
      const byAt = new Map<string, StockLevel>((known.stock ?? []).map((l) => [l.at, l]));
      for (const l of levels) if (l.sku === sku) byAt.set(l.at, { at: l.at, onHand: l.onHand });
      const stock = [...byAt.values()].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_STOCK_LEVELS);
      return { ...known, sku, stock };
    }),
    result: undefined,
  }));
}

export async function forecastSettings(store: Store, shopId: string): Promise<ForecastSettings> {
  return (await store.getDocument<ForecastSettings>(shopId, SETTINGS_REF)) ?? DEFAULT_FORECAST_SETTINGS;
}

export async function putForecastSettings(store: Store, shopId: string, settings: ForecastSettings): Promise<ForecastSettings> {
  await store.updateDocuments(shopId, [SETTINGS_REF], () => ({ values: [settings], result: undefined }));
  return settings;
}

export async function shopForecast(store: Store, shopId: string, period: { from: Date; to: Date; now: Date }): Promise<ForecastAccuracy> {
  const [skus, settings] = await Promise.all([store.listDocuments<SkuHistory>(shopId, SKU_STATS), forecastSettings(store, shopId)]);
  return forecastAccuracy(skus, settings, period);
}
