// Lets `kudos shop create` work while the server owns the data file: the CLI
// reads the admin token from the lock file (mode 0600, same user) and asks here.
import express, { Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { parseOr400, problems } from '../http/problem.js';
import { ShopCreateInput } from '../schemas.js';
import { InvalidOriginError, newShop, shopCredentials } from '../shops.js';
import type { Store } from '../store/store.js';

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function adminRouter(store: Store, adminToken: string, now: () => Date): Router {
  const router = Router();
  router.post('/internal/shops', express.json({ limit: '16kb' }), async (req, res) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!sameToken(token, adminToken)) throw problems.unauthenticated('This route takes the local admin token.');
    const input = parseOr400(ShopCreateInput, req.body);
    let shop;
    try {
      shop = newShop(input, now());
    } catch (error) {
      if (error instanceof InvalidOriginError) throw problems.validation([{ pointer: '/origins', detail: error.message }]);
      throw error;
    }
    await store.createShop(shop);
    res.status(201).json(shopCredentials(shop));
  });
  return router;
}
