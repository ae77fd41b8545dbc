// GET/PUT /v1/limits (secret key): the shop reads and sets its bounds for
// publishable-key traffic. Validation refuses values outside the documented range.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400 } from '../http/problem.js';
import type { Store } from '../store/store.js';
import { LimitsInput } from './schemas.js';
import { limitsOf, setLimits } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of limitsRouter: its feature's registry entry lists them (server/features.ts). */
export const limitsScopes: readonly RouteScope[] = [
  // The shop's quotas for publishable-key traffic.
  routeScope('GET', '/limits', 'admin'),
  routeScope('PUT', '/limits', 'admin'),
];

export function limitsRouter(store: Store): Router {
  const router = Router();
  router.get('/limits', requireSecretKey, async (_req, res) => {
    res.json(await limitsOf(store, callerOf(res).shop.id));
  });
  router.put('/limits', requireSecretKey, async (req, res) => {
    const limits = parseOr400(LimitsInput, req.body);
    await setLimits(store, callerOf(res).shop.id, limits);
    res.json(limits);
  });
  return router;
}
