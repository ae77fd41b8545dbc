import { Router } from 'express';
import { customerView } from '../engine/badges.js';
import { callerOf, shopperOf } from '../http/auth.js';
import { parseOr400, problems } from '../http/problem.js';
import { CustomerId } from '../schemas.js';
import type { Store } from '../store/store.js';

export function customersRouter(store: Store): Router {
  const router = Router();
  router.get('/customers/:customerId', async (req, res) => {
    const caller = callerOf(res);
    const customerId = parseOr400(CustomerId, req.params.customerId, ['customerId']);
    if (caller.role === 'publishable') {
      // A page can read only the shopper its backend vouched for.
      const shopper = shopperOf(req, caller.shop);
      if (shopper.kind !== 'customer' || shopper.customerId !== customerId) {
        throw problems.identity('With a publishable key, send X-Kudos-Customer and its hash for this same customer.');
      }
    }
    const [customer, badges] = await Promise.all([
      store.getCustomer(caller.shop.id, customerId),
      store.listBadges(caller.shop.id),
    ]);
    res.json(customerView(customerId, customer, badges));
  });
  return router;
}
