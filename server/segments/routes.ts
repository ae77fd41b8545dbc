// GET /v1/segments (sk, analytics): drop funnels, drop-acquired repeat rate, gift retention.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { MetricsQuery, periodOf } from '../metrics/schemas.js';
import type { Store } from '../store/store.js';
import { shopSegments } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of segmentsRouter: its feature's registry entry lists them (server/features.ts). */
export const segmentsScopes: readonly RouteScope[] = [
  routeScope('GET', '/segments', 'analytics'),
];

export function segmentsRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.get('/segments', requireSecretKey, async (req, res) => {
    const query = parseOr400(MetricsQuery, { ...req.query });
    const { from, to } = periodOf(query, now());
    if (from.getTime() >= to.getTime()) {
      throw problems.validation([{ pointer: query.from ? '/from' : '/to', detail: '"from" must come before "to" (default: now)' }]);
    }
    res.set('Cache-Control', 'no-store');
    res.json(await shopSegments(store, callerOf(res).shop.id, { from, to }));
  });
  return router;
}
