// Lets the CLI (`kudos shop create`, `kudos keys …`, `kudos shop origins …`) work
// while the server owns the data file: it reads the admin token from the lock
// file (mode 0600, same user) and asks here.
import express, { Router, type Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AccessCommand, runAccessCommand } from '../access/commands.js';
import { parseOr400, problems } from './problem.js';
import { ShopCreateInput } from '../schemas.js';
import { InvalidOriginError, newShop } from '../shops.js';
import type { Store } from '../store/store.js';

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function adminRouter(store: Store, adminToken: string, now: () => Date): Router {
  const router = Router();
  const requireToken = (req: Request) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!sameToken(token, adminToken)) throw problems.unauthenticated('This route takes the local admin token.');
  };
  router.post('/internal/shops', express.json({ limit: '16kb' }), async (req, res) => {
    requireToken(req);
    const input = parseOr400(ShopCreateInput, req.body);
    let made;
    try {
      made = newShop({ ...input, identitySecret: true }, now());
    } catch (error) {
      if (error instanceof InvalidOriginError) throw problems.validation([{ pointer: '/origins', detail: error.message }]);
      throw error;
    }
    await store.createShop(made.shop);
    res.status(201).json(made.credentials);
  });
  router.post('/internal/access', express.json({ limit: '16kb' }), async (req, res) => {
    requireToken(req);
    res.json(await runAccessCommand({ store, now }, parseOr400(AccessCommand, req.body)));
  });
  return router;
}
