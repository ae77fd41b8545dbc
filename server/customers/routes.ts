// Customer data routes (sk): export everything about a customer, or erase them.
import { Router } from 'express';
import { callerOf, requireSecretKey } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { CustomerId } from '../schemas.js';
import type { CustomerEraser, CustomerExporter, Feature } from '../feature-kit.js';
import type { Store } from '../store/store.js';
import { exportCustomer } from './export.js';
import { customerAudit, routeScope, type RouteScope } from '../access/route-scopes.js';

const unknown = (customerId: string) => problems.notFound(`Kudos holds nothing about customer "${customerId}" in this shop.`);

/** What a key needs for each route of customerDataRouter: its feature's registry entry lists them (server/features.ts). */
export const customerDataScopes: readonly RouteScope[] = [
  // Personal data: admin, and audited (a digest of the customer, never the data).
  customerAudit(routeScope('GET', '/customers/:customerId/export', 'admin')),
  customerAudit(routeScope('DELETE', '/customers/:customerId', 'admin')),
];

/**
 * The export and the erase reach every feature that keeps data about a customer: each
 * declares its exporters and erasers in server/features.ts, so none is forgotten here.
 */
export function customerDataRouter(store: Store, now: () => Date, features: readonly Feature[]): Router {
  const router = Router();
  const exporters: Record<string, CustomerExporter> = Object.assign({}, ...features.map((f) => f.exporters ?? {}));
  const erasers: CustomerEraser[] = features.flatMap((f) => f.erasers ?? []);

  router.get('/customers/:customerId/export', requireSecretKey, async (req, res) => {
    const customerId = parseOr400(CustomerId, req.params.customerId, ['customerId']);
    const data = await exportCustomer(store, callerOf(res).shop.id, customerId, now(), exporters);
    if (!data) throw unknown(customerId);
    res.set('Cache-Control', 'no-store');
    res.set('Content-Disposition', `attachment; filename="kudos-customer-${customerId.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`);
    res.json(data);
  });

  router.delete('/customers/:customerId', requireSecretKey, async (req, res) => {
    const customerId = parseOr400(CustomerId, req.params.customerId, ['customerId']);
    const shopId = callerOf(res).shop.id;
    const known = (await exportCustomer(store, shopId, customerId, now(), exporters)) !== undefined;
    // Features first, the record last: if this stops half-way, the record is still
    // there to find and a retry finishes the job (every eraser is idempotent).
    for (const erase of erasers) await erase(store, shopId, customerId);
    const hadRecord = await store.deleteCustomer(shopId, customerId);
    if (!known && !hadRecord) throw unknown(customerId);
    res.status(204).end();
  });

  return router;
}
