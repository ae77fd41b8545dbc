// Stock levels in (sk), forecast accuracy and its settings. Validate, call the service.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { datedAt } from '../history/bounds.js';
import { MetricsQuery, periodOf } from '../metrics/schemas.js';
import type { Store } from '../store/store.js';
import { ForecastSettingsInput, StockBatch } from './schemas.js';
import { forecastSettings, putForecastSettings, setStockLevels, shopForecast } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of forecastRouter: its feature's registry entry lists them (server/features.ts). */
export const forecastScopes: readonly RouteScope[] = [
  // Stock levels per SKU, as the shop's backend or inventory sync counts them.
  routeScope('POST', '/stock', 'events'),
  routeScope('GET', '/forecast', 'analytics'),
  routeScope('GET', '/forecast/settings', 'admin'),
  routeScope('PUT', '/forecast/settings', 'admin'),
];

export function forecastRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.use(['/stock', '/forecast'], requireSecretKey);

  router.post('/stock', async (req, res) => {
    const { levels } = parseOr400(StockBatch, req.body);
    const at = now();
    const refusals: { pointer: string; detail: string }[] = [];
    const dated = levels.map((l, i) => {
      const d = datedAt(l.at, at);
      if ('refused' in d) refusals.push({ pointer: `/levels/${i}/at`, detail: d.refused });
      return { sku: l.sku, onHand: l.onHand, at: 'at' in d ? d.at : '' };
    });
    if (refusals.length > 0) throw problems.validation(refusals);
    await setStockLevels(store, callerOf(res).shop.id, dated);
    res.json({ ok: true, levels: dated.length });
  });

  router.get('/forecast', async (req, res) => {
    const query = parseOr400(MetricsQuery, { ...req.query });
    const at = now();
    const { from, to } = periodOf(query, at);
    if (from.getTime() >= to.getTime()) {
      throw problems.validation([{ pointer: query.from ? '/from' : '/to', detail: '"from" must come before "to" (default: now)' }]);
    }
    res.set('Cache-Control', 'no-store');
    res.json(await shopForecast(store, callerOf(res).shop.id, { from, to, now: at }));
  });

  router.get('/forecast/settings', async (_req, res) => {
    res.json(await forecastSettings(store, callerOf(res).shop.id));
  });

  router.put('/forecast/settings', async (req, res) => {
    res.json(await putForecastSettings(store, callerOf(res).shop.id, parseOr400(ForecastSettingsInput, req.body)));
  });
  return router;
}
