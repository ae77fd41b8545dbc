// GET /v1/metrics (sk): the shop's KPIs over a period, each with a weekly series.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import type { Store } from '../store/store.js';
import { MetricsQuery, periodOf } from './schemas.js';
import { shopMetrics } from './service.js';
import { warmRollups } from './rollup.js';
import { shopForecast } from '../forecast/ports.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of metricsRouter: its feature's registry entry lists them (server/features.ts). */
export const metricsScopes: readonly RouteScope[] = [
  // Numbers without people in them.
  routeScope('GET', '/metrics', 'analytics'),
];

export function metricsRouter(store: Store, now: () => Date): Router {
  const router = Router();
  // Build the lowdb roll-ups from the records at start-up, in slices, so the first request does not pay for it.
  setImmediate(() => void warmRollups(store).catch(() => {})).unref?.();
  router.get('/metrics', requireSecretKey, async (req, res) => {
    const query = parseOr400(MetricsQuery, { ...req.query });
    const at = now();
    const { from, to } = periodOf(query, at);
    // Only one bound given: the other defaults, and may still end up on the wrong side.
    if (from.getTime() >= to.getTime()) {
      throw problems.validation([{ pointer: query.from ? '/from' : '/to', detail: '"from" must come before "to" (default: now)' }]);
    }
    res.set('Cache-Control', 'no-store');
    const shopId = callerOf(res).shop.id;
    const [metrics, forecastAccuracy] = await Promise.all([shopMetrics(store, shopId, { from, to, now: at }), shopForecast(store, shopId, { from, to, now: at })]);
    // The fourth KPI reads stock and SKU sales, not customer records: its own service, the same period.
    res.json({ ...metrics, forecastAccuracy });
  });
  return router;
}
