// POST /v1/history/orders (sk): bring past orders with their dates, silently.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import type { Store } from '../store/store.js';
import { datedAt } from './bounds.js';
import { HistoryBatch } from './schemas.js';
import { importOrders } from './service.js';
import { routeScope, type RouteScope } from '../access/route-scopes.js';

/** What a key needs for each route of historyRouter: its feature's registry entry lists them (server/features.ts). */
export const historyScopes: readonly RouteScope[] = [
  // Past orders, dated (kudos import): purchases and refunds, as a backend sends them.
  routeScope('POST', '/history/orders', 'events'),
];

export function historyRouter(store: Store, now: () => Date): Router {
  const router = Router();
  router.post('/history/orders', requireSecretKey, async (req, res) => {
    const { orders } = parseOr400(HistoryBatch, req.body);
    const at = now();
    const refusals: { pointer: string; detail: string }[] = [];
    const dated = orders.map((o, i) => {
      const d = datedAt(o.occurredAt, at);
      if ('refused' in d) {
        refusals.push({ pointer: `/orders/${i}/occurredAt`, detail: d.refused });
        return { ...o, occurredAt: '' };
      }
      return { ...o, occurredAt: d.at };
    });
    // One bad date refuses the batch before anything is written: a re-run after the fix is whole.
    if (refusals.length > 0) throw problems.validation(refusals);
    res.json(await importOrders(store, now, callerOf(res).shop.id, dated));
  });
  return router;
}
